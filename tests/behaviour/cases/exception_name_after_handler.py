# covers: except-comma, exception-escape
# expect-report: PY812
try:
    1 / 0
except ZeroDivisionError, err:
    pass
print type(err).__name__

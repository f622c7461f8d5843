# covers: except-comma, exception-escape
try:
    1 / 0
except ZeroDivisionError, err:
    pass
print type(err).__name__

# covers: exception-message-attribute
# expect-report: PY817
try:
    raise ValueError('boom')
except ValueError as e:
    print e.message

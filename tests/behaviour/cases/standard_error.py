# covers: standard-error
class MyError(StandardError):
    pass
try:
    raise MyError('x')
except StandardError as e:
    print type(e).__name__, e.args
print issubclass(ValueError, StandardError)

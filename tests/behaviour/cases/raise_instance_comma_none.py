# covers: raise-comma, raise-none-trap
def f(x):
    raise ValueError(x), None
try:
    f(3)
except ValueError as e:
    print type(e).__name__, e.args

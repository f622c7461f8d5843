# covers: except-comma, except-unpack-trap
# `except E, (a, b):` unpacks the exception's args in Python 2; `except E, (e):` just binds e.
try:
    raise ValueError(1, 2)
except ValueError, (a, b):
    print a, b
try:
    raise ValueError("x")
except ValueError, (e):
    print type(e).__name__, e

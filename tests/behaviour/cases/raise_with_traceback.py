# covers: raise-comma
import sys
def inner():
    return 1 / 0
def outer():
    try:
        inner()
    except ZeroDivisionError:
        tb = sys.exc_info()[2]
        raise ValueError, "wrapped", tb
try:
    outer()
except ValueError as e:
    t = sys.exc_info()[2]
    depth = 0
    while t is not None:
        depth += 1
        t = t.tb_next
    print type(e).__name__, e.args, depth >= 2

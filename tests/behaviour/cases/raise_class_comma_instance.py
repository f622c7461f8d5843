# covers: raise-comma
# `raise E, inst` raises inst itself when it is an instance of E.
try:
    raise TypeError, TypeError("already made")
except TypeError as e:
    print type(e).__name__, e.args

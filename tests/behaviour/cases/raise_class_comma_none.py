# covers: raise-comma
# `raise E, None` is `raise E`: no arguments.
try:
    raise RuntimeError, None
except RuntimeError as e:
    print type(e).__name__, e.args

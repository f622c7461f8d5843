# covers: sys-exc
import sys
try:
    raise KeyError('k')
except KeyError:
    print sys.exc_type.__name__, sys.exc_value.args
    print sys.exc_traceback is not None

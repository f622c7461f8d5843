# covers: sys-exc, except-comma, print-statement
import sys
def handle():
    try:
        {}['missing']
    except KeyError, e:
        kind = sys.exc_type
        value = sys.exc_value
        return kind.__name__, value.args, sys.exc_info()[0] is kind
print handle()

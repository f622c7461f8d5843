# covers: print-statement, except-comma
import sys
try:
    int('nope')
except ValueError, e:
    sys.exit('bad number')

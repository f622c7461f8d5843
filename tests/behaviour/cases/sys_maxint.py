# covers: renames
import sys
print sys.maxint > 2 ** 31 - 2
print min(5, sys.maxint)
print -sys.maxint - 1 < 0

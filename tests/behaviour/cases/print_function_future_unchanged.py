# covers: print-statement, future-print-function, must-not-change
from __future__ import print_function
import sys
print('a', 'b', sep='-', end='!\n')
print('to stdout', file=sys.stdout)
print()
print(*[1, 2, 3])

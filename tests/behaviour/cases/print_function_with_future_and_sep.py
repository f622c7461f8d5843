# covers: print-statement, must-not-change
from __future__ import print_function
print('a', 'b')
print(('tuple', 'printed'))
print('end', end='')
print()

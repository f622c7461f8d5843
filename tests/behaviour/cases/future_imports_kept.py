# covers: future-imports, must-not-change
from __future__ import absolute_import, print_function, unicode_literals, with_statement
import sys
print('%d %s' % (len('abc'), type('x') is not bytes), file=sys.stdout)

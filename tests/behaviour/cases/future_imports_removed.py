# py2to3-args: --extend-select future-imports
# covers: future-imports
from __future__ import division, print_function, absolute_import
from __future__ import unicode_literals
print(7 / 2, 7 // 2)
print('%s' % type('x').__name__ in ('str', 'unicode'))

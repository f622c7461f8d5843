# covers: six-unicode-literals
# py2to3-args: --extend-select six-unicode-literals
"""Text handling that means the same with or without unicode_literals."""
from __future__ import division

words = 'alpha beta gamma'.split()
print ' '.join(w.upper() for w in words)
print len('abc'), 'abc' == u'abc', 7 / 2
print '%s=%d' % ('n', 3), '-'.join(sorted({'b': 1, 'a': 2}))
print 'x'.join(['1', '2']), 'abc'.startswith('ab')

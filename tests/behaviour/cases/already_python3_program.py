# covers: must-not-change, already-python3
from __future__ import print_function
import functools
import io
from collections import OrderedDict

def total(values):
    return functools.reduce(lambda a, b: a + b, values, 0)

data = OrderedDict([('a', 1), ('b', 2)])
for k, v in data.items():
    print(k, v)
print(total(range(5)), list(map(str, [1, 2])), list(zip('ab', 'cd')))
buf = io.StringIO()
buf.write(u'text')
print(buf.getvalue())
try:
    raise ValueError('x')
except ValueError as e:
    print(type(e).__name__)
print(next(iter([7])), 7 // 2)

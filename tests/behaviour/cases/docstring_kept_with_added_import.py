"""Totals module: the docstring must stay the module's __doc__."""
# covers: reduce, import-placement-trap
import operator
print __doc__
print reduce(operator.mul, [2, 3, 4])

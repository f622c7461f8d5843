"""Module doc."""
# covers: reduce, import-placement-trap, future-imports
from __future__ import absolute_import
import sys
print reduce(max, [3, 9, 2]), __doc__

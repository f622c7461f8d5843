# py2to3-args: --extend-select old-division --unsafe-fixes
# covers: old-division, future-division
from __future__ import division
print 7 / 2, 7 // 2

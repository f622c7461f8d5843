# covers: old-division, future-division, must-not-change
from __future__ import division
print 7 / 2, 7 // 2, -7 / 2
x = 9
x /= 2
print x

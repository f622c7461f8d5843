# covers: old-division, must-not-change
print 7.0 / 2, 1 / 4.0, float(3) / 2
from math import pi
print round(pi / 2, 4)

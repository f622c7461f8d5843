# covers: old-division, int-division-trap
print 7 / 2, -7 / 2, 8 / 4
a, b = 7, 2
print a / b

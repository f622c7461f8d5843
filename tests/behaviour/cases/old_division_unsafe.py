# py2to3-args: --extend-select old-division --unsafe-fixes
# covers: old-division
print 7 / 2, -7 / 2
a, b = 9, 4
print a / b
print 7.0 / 2, 7 / 2.0
x = 10
x /= 3
print x

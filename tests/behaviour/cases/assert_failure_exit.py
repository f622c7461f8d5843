# covers: print-statement
x = 2
print 'checking'
assert x == 3, 'x must be 3'

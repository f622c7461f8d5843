# covers: xrange
total = 0
for i in xrange(5):
    total += i
print total
print list(xrange(2, 10, 3)), sum(xrange(4))
r = xrange(10)
print len(r), r[3], 5 in r
print [i * i for i in xrange(4)]

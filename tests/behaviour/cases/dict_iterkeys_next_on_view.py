# covers: dict-iter-methods
d = {'only': 1}
it = d.iterkeys()
print it.next()
try:
    it.next()
except StopIteration:
    print 'StopIteration'

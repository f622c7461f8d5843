# covers: dict-iter-methods
d = {'x': 1, 'y': 2, 'z': 3}
print sorted(d.iterkeys())
print sum(d.itervalues())
for k, v in sorted(d.iteritems()):
    print k, v
it = d.iteritems()
print type(next(it)).__name__
print sorted(d.viewkeys()), sorted(d.viewvalues()), sorted(d.viewitems())
print sorted(d.viewkeys() & set(['x', 'q']))

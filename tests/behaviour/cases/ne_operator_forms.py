# covers: ne-operator
a, b = 1, 2
print a <> b, a <> a
print [x for x in range(5) if x <> 2]
if 'x' <> 'y':
    print 'differ'

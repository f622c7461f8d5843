# covers: range-list, xrange
# In a Python 2 file, range() handed to other code or kept in a name was a list.
def show(x):
    print x, type(x).__name__

show(range(3))
r = range(4)
show(r)
def evens(n):
    return range(0, n, 2)
show(evens(5))
print sorted(range(3)), 2 in range(3), range(5)[1], len(range(4))
print [i * 2 for i in range(3)]
for i in range(2):
    print i
show(xrange(2)[1])
print sum(xrange(4))

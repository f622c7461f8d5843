# covers: range-list
r = range(5)
r.append(99)
print r
print range(3) + range(2)
x = range(4)
x.reverse()
print x
print range(0), range(1, 10, 4)
def indices(n):
    return range(n)
print indices(3)
print range(5)[1:3]

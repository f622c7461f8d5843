# covers: next-method-call
it = iter([1, 2, 3])
print it.next()
print it.next()
gen = (x * 2 for x in range(3))
print gen.next()
lines = iter(['a\n', 'b\n'])
first = lines.next().strip()
print first
try:
    iter([]).next()
except StopIteration:
    print 'done'

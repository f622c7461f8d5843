# covers: filter-builtin
evens = filter(lambda n: n % 2 == 0, range(10))
print evens, len(evens)
truthy = filter(None, [0, 1, '', 'a', None, [], [2]])
print truthy
for x in filter(lambda s: s.startswith('a'), ['ab', 'ba', 'ac']):
    print x
print len(filter(bool, [1, 0, 2]))

# covers: filter-builtin
odd = filter(lambda n: n % 2, range(7))
print len(odd), odd[0]
print sum(odd), list(odd)

# covers: list-comp-tuple
print [x * 2 for x in 1, 2, 3]
print [s.upper() for s in 'a', 'b']
print sum([n for n in 4, 5])

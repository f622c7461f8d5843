# covers: map-builtin
lengths = map(len, ['a', 'bb', 'ccc'])
print sum(lengths), max(lengths)
doubled = map(lambda n: n * 2, lengths)
for x in doubled:
    print x
print list(doubled)

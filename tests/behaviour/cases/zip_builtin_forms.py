# covers: zip-builtin
names = ['a', 'b', 'c']
ages = [1, 2, 3]
pairs = zip(names, ages)
print pairs, len(pairs), pairs[0]
print dict(zip(names, ages)) == {'a': 1, 'b': 2, 'c': 3}
z = zip(names, ages)
print list(z) == list(z)
for n, a in zip(names, ages):
    print n, a
print zip(*pairs)

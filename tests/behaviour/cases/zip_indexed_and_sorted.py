# covers: zip-builtin
pairs = zip('cab', [3, 1, 2])
pairs.sort()
print pairs
print zip([1, 2], [3, 4])[1]
z = zip('ab', 'cd')
print len(z), z + [('e', 'f')]

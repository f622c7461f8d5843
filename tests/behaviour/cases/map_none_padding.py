# covers: map-builtin, map-none-trap
print map(None, [1, 2], [3, 4, 5])
print map(None, 'ab', 'xyz')

# covers: map-builtin
nums = [1, 2, 3]
squares = map(lambda n: n * n, nums)
print squares, len(squares), squares[-1]
strs = map(str, nums)
print ','.join(strs), ','.join(strs)
print map(None, [1, 2])
pairs = map(lambda a, b: a + b, [1, 2], [10, 20])
print pairs
total = sum(map(int, ['4', '5']))
print total
for x in map(abs, [-1, -2]):
    print x

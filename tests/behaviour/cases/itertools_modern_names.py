# covers: itertools-functions, must-not-change
import itertools
print list(itertools.product('ab', repeat=2))
print list(itertools.permutations([1, 2]))
print [k for k, g in itertools.groupby('aabbc')]
print list(itertools.takewhile(lambda x: x < 3, [1, 2, 3, 1]))

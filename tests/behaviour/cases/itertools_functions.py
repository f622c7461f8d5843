# covers: itertools-functions
import itertools
print list(itertools.imap(lambda a, b: a * b, [1, 2], [3, 4]))
print list(itertools.ifilter(None, [0, 1, 2]))
print list(itertools.ifilterfalse(None, [0, 1, 2]))
print list(itertools.izip('ab', [1, 2]))
print list(itertools.izip_longest('abc', [1], fillvalue='-'))
print list(itertools.islice(itertools.count(), 3))
print list(itertools.chain([1], [2]))

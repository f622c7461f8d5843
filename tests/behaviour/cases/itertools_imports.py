# covers: itertools-imports, itertools-functions
from itertools import imap, izip, ifilter, izip_longest, chain
from itertools import ifilterfalse as reject
print list(imap(str.upper, ['a', 'b']))
print list(izip([1, 2], 'xy'))
print list(ifilter(lambda x: x > 1, [1, 2, 3]))
print list(izip_longest([1], [2, 3]))
print list(reject(lambda x: x > 1, [1, 2, 3]))
print list(chain('ab', 'c'))

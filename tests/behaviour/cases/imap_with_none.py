# covers: itertools-functions, map-none-trap
import itertools
print list(itertools.imap(None, [1, 2], 'ab'))

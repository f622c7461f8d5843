# covers: str-unicode-escapes
# A Python 2 str literal kept \u, \U and \N as characters; only unicode literals decoded them.
path = 'C:\users\%s' % 'me'
print path, len(path)
s = 'caf\u00e9'
print s, len(s), s.upper()
print len(u'caf\u00e9'), len('\U0001F600'), '\N{EM DASH}'.lower()
print r'\u00e9', '\\u00e9'

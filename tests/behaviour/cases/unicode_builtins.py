# covers: unicode-builtins
s = unicode(42)
print s, len(s), isinstance(s, unicode)
print unichr(233) == u'\xe9', ord(unichr(65))
print unicode('abc').upper()
t = u'caf\xe9'
print len(t), len(t.encode('utf-8'))

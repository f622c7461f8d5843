# covers: unicode-builtins, str-meets-bytes, bytes-str-comparison-trap
# In Python 2 a str is bytes: encoded text compares equal to a plain literal.
t = u'caf\xe9'
print t.encode('utf-8') == 'caf\xc3\xa9'
print b'abc' == 'abc', 'abc' == u'abc'
print 'x'.encode('ascii') in ['x', 'y']

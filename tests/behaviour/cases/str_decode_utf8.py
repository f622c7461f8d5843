# covers: unicode-builtins, str-decode-trap
raw = 'caf\xc3\xa9'
text = raw.decode('utf-8')
print len(raw), len(text)
print 'abc'.decode('ascii').upper()

# covers: unicode-builtins, str-meets-bytes, bytes-str-comparison-trap
header = u'caf\xe9'.encode('utf-8') + ' menu'
print len(header)

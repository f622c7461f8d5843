# covers: codec-methods, hex-codec-trap
h = 'AB'.encode('hex')
print h, type(h).__name__
print '4142'.decode('hex')
print len('\x00\xff'.encode('hex'))

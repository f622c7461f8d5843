# covers: codec-methods, hex-codec-trap
h = 'AB'.encode('hex')
print h, type(h).__name__
# Decoding gives binary data: bytes in Python 3 (printing it would show b'AB'), so only its
# length and its round trip are compared.
raw = '4142'.decode('hex')
print len(raw), raw.encode('hex') == h
print len('\x00\xff'.encode('hex'))

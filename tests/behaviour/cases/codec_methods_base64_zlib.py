# covers: codec-methods
packed = 'hello hello hello'.encode('zlib')
print len(packed.decode('zlib')), len(packed) < 17
b = 'hi'.encode('base64')
print len(b), len(b.decode('base64'))
print 'abc'.encode('rot13')

# covers: bytes-arguments, binary-read-comparison
with open('blob.bin', 'wb') as f:
    f.write('\x00\x01header')
with open('blob.bin', 'rb') as f:
    data = f.read()
print len(data), data[2:] == 'header'
with open('blob.bin', 'rb') as f:
    magic = f.read(2)
if magic == '\x00\x01':
    print 'magic ok'

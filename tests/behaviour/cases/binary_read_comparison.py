# covers: binary-read-comparison, bytes-arguments, str-meets-bytes
f = open('img.bin', 'wb')
f.write(b'GIF89a...')
f.close()
f = open('img.bin', 'rb')
head = f.read(6)
f.close()
if head == 'GIF89a':
    print 'gif'
else:
    print 'unknown'
print open('img.bin', 'rb').read(3) == 'GIF'

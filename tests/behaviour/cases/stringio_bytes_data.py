# covers: stringio-bytes, module-renames
from StringIO import StringIO
import struct
buf = StringIO(struct.pack('>HH', 1, 2))
print struct.unpack('>HH', buf.read(4))
s = StringIO('text data')
print s.read(4)

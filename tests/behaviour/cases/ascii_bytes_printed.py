# covers: ascii-bytes-as-text, str-meets-bytes, base64-encodestring
# Encoders return bytes in Python 3; printed or formatted, Python 2 showed their text.
import base64
import binascii
import struct
import zlib
from binascii import hexlify

print base64.b64encode('hi')
print base64.encodestring('hello').strip()
print binascii.hexlify('ab')
print 'id-%s' % hexlify('key')
print '%s/%s' % (binascii.b2a_hex('z'), 1)
print '{0}!'.format(base64.urlsafe_b64encode('\xff\xfe')[:2])
print str(base64.b32encode('abc'))
# Bytes results compared with Python 2 str literals.
print struct.pack('>H', 258) == '\x01\x02'
print zlib.decompress(zlib.compress('abc')) == 'abc'
print base64.b64decode('aGk=').strip() == 'hi'

# covers: bytes-arguments
import hashlib
import zlib
import hmac
print hashlib.md5('abc').hexdigest()
h = hashlib.sha1()
h.update('part1')
h.update('part2')
print h.hexdigest()
print zlib.crc32('hello') & 0xffffffff
print hmac.new('key', 'msg', hashlib.sha256).hexdigest()[:16]
print len(zlib.compress('aaaaaaaaaa'))

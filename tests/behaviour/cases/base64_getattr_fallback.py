# covers: base64-encodestring, getattr-fallback-trap
import base64
decode = getattr(base64, 'decodebytes', base64.decodestring)
print len(decode('aGVsbG8='))

# covers: base64-encodestring, base64-bytes-argument
import base64
enc = base64.encodestring('hello world')
print repr(enc) == repr('aGVsbG8gd29ybGQ=\n') or enc == b'aGVsbG8gd29ybGQ=\n'
print base64.decodestring('aGk=') == 'hi' or base64.decodestring('aGk=') == b'hi'
print base64.b64encode('xyz') in ('eHl6', b'eHl6')

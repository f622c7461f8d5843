# -*- coding: utf-8 -*-
# covers: bytes-non-ascii
s = b"café"
print len(s), list(bytearray(s))
t = b"ü" + b"x"
print list(bytearray(t)), t == b"\xc3\xbcx"

# covers: unicode-raw-strings, ur-escape-trap
# ur'\u0041' is u'A' in Python 2: raw strings still process \u escapes.
pat = ur'\d+\.\w'
print len(pat), pat
s = ur'\u0041\d'
print len(s), s
import re
print ','.join(re.findall(ur'\d+', u'a12b345'))

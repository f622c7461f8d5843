# covers: unicode-builtins, str-decode-trap
data = 'na\xc3\xafve'
word = unicode(data, 'utf-8')
print len(word), word.upper().encode('utf-8') == 'NA\xc3\x8fVE'

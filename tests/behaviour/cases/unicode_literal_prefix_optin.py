# py2to3-args: --extend-select unicode-literal-prefix
# covers: unicode-literal-prefix
s = u'hello'
t = u"world"
print (s + u' ' + t).upper(), len(u'\u00e9')

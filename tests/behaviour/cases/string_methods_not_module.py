# covers: string-module, must-not-change
import string
s = 'Hello World'
print s.upper(), s.split(), string.ascii_lowercase[:3], string.digits[:2]
print string.Template('$x!').substitute(x='hi')
print string.capwords('a b')

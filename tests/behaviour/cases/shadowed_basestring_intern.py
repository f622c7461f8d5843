# covers: basestring, intern, must-not-change, shadowed-builtin
basestring = (int, float)
def intern(s):
    return s + '!'
print isinstance(3, basestring), isinstance('x', basestring), intern('a')

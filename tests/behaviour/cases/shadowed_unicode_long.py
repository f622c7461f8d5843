# covers: unicode-builtins, long-builtin, must-not-change, shadowed-builtin
def unicode(x):
    return '<%s>' % x
long = lambda x: x * 1000
print unicode(5), long(2)

# covers: basestring
def describe(x):
    if isinstance(x, basestring):
        return 'text:' + x
    return 'other'
print describe('a'), describe(u'b'), describe(3)
print issubclass(str, basestring)

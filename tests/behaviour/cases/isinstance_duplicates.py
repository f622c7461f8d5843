# covers: isinstance-duplicates, basestring, unicode-builtins
def is_text(x):
    return isinstance(x, (str, unicode))
def is_num(x):
    return isinstance(x, (int, long, float))
print is_text('a'), is_text(u'b'), is_text(1)
print is_num(1), is_num(2L), is_num('x'), is_num(1.5)

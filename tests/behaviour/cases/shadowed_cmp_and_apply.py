# covers: cmp-builtin, apply, must-not-change, shadowed-builtin
def cmp(a, b):
    return 'custom'
def apply(f, args):
    return 'applied %d' % len(args)
print cmp(1, 2), apply(len, (1, 2))

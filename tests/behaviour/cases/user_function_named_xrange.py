# covers: xrange, must-not-change, shadowed-builtin
def xrange(n):
    return ['item%d' % i for i in range(n)]
print xrange(3)

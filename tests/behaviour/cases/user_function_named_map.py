# covers: map-builtin, filter-builtin, zip-builtin, must-not-change, shadowed-builtin
def map(f, xs):
    return [f(x) for x in xs][::-1]
def filter(f, xs):
    return 'filtered'
def zip(*a):
    return len(a)
print map(str, [1, 2, 3])
print filter(None, [0, 1])
print zip([1], [2], [3])

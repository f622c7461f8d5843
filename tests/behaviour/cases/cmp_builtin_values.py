# covers: cmp-builtin
print cmp(1, 2), cmp(2, 1), cmp('a', 'a')
print cmp([1, 2], [1, 3]), cmp((2,), (1, 9))
def compare(a, b):
    return cmp(a, b) or cmp(len(str(a)), len(str(b)))
print compare(5, 5), compare(10, 9)

# covers: cmp-argument, cmp-builtin
words = ['ccc', 'a', 'bb', 'dd']
words.sort(cmp=lambda a, b: cmp(len(a), len(b)))
print words
print sorted([3, 1, 2], cmp=lambda a, b: b - a)
def by_last(a, b):
    return cmp(a[-1], b[-1])
print sorted(['ab', 'ca', 'bc'], cmp=by_last, reverse=True)
print sorted(['x', 'Y', 'z'], cmp=lambda a, b: cmp(a.lower(), b.lower()))

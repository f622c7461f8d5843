# covers: tuple-params
def dist((x1, y1), (x2, y2)):
    return abs(x1 - x2) + abs(y1 - y2)
print dist((0, 0), (3, 4))
def nested(a, (b, (c, d))=(1, (2, 3))):
    return a + b + c + d
print nested(10), nested(0, (1, (1, 1)))
pairs = [(1, 'b'), (2, 'a')]
print sorted(pairs, key=lambda (n, s): s)
print map(lambda (a, b): a * 10 + len(b), pairs)

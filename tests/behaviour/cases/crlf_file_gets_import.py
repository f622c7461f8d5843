# covers: reduce, crlf-import-added
def add(a, b):
    return a + b
print reduce(add, [1, 2, 3], 10)
print "crlf ok"

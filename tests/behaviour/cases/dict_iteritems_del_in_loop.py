# covers: dict-iter-methods, dict-keys-mutated-in-loop
# Python 2 raises here too: iteritems() is a live iterator.
d = {'a': 1, 'b': 2}
try:
    for k, v in d.iteritems():
        del d[k]
except RuntimeError as e:
    print 'RuntimeError'
print len(d)

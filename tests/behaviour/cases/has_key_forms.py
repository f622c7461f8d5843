# covers: has-key
d = {'a': 1, 'b': None}
print d.has_key('a'), d.has_key('z'), not d.has_key('b')
if d.has_key('a') and d['a'] == 1:
    print 'found a'
keys = ['a', 'c']
print [k for k in keys if d.has_key(k)]
print d.has_key('a' + 'b') or d.has_key('b')

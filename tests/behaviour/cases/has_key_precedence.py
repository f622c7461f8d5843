# covers: has-key
d = {'a': 1}
print d.has_key('a') == True
print not d.has_key('b') and 'ok'
print d.has_key('x' if False else 'a')
print [d.has_key(k) for k in 'ab']
flag = d.has_key('a') is True
print flag

# covers: dict-views-as-lists
d = {'b': 2, 'a': 1, 'c': 3}
keys = d.keys()
keys.sort()
print keys
vals = d.values()
print sorted(vals)[0], len(vals)
items = d.items()
items.sort(key=lambda kv: -kv[1])
print items[0]
print sorted(d.keys() + ['z'])
first = sorted(d.items())[0]
print first
ks = d.keys()
d['new'] = 0
print len(ks), len(d)
print type(d.keys()).__name__

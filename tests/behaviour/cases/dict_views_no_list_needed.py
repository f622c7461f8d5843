# covers: dict-views-as-lists, must-not-change
d = {'a': 1, 'b': 2}
for k in sorted(d.keys()):
    print k
print sum(d.values()), len(d.items()), 'a' in d.keys()
print sorted(k.upper() for k in d.keys())
print ','.join(sorted(d))
print any(v > 1 for v in d.values()), min(d.items())

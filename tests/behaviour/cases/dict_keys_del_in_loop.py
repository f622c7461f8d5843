# covers: dict-views-as-lists, dict-keys-mutated-in-loop
d = {'a': 1, 'b': 2, 'c': 3, 'd': 4}
for k in d.keys():
    if d[k] % 2 == 0:
        del d[k]
print sorted(d.items())

# covers: dict-views-as-lists, dict-keys-mutated-in-loop
index = {'a': 1, 'b': 2}
for key in index.keys():
    index[key.upper()] = index[key] * 10
print sorted(index.items())

# covers: dict-views-as-lists, dict-keys-mutated-in-loop
cache = {1: 'one', 2: 'two', 3: 'three'}
seen = []
for v in cache.values():
    seen.append(v)
    if v == 'one':
        cache.clear()
        cache['reset'] = v
print sorted(seen), sorted(cache.items())

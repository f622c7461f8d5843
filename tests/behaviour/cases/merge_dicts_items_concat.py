# covers: dict-views-as-lists
defaults = {'color': 'red', 'size': 1}
overrides = {'size': 3}
merged = dict(defaults.items() + overrides.items())
print sorted(merged.items())
keys = defaults.keys() + overrides.keys()
print sorted(keys), len(keys)
first_key = sorted(defaults.keys())[0]
print first_key

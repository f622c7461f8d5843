# covers: dict-views-as-lists
single = {'only': 42}
print single.keys()[0], single.values()[0], single.items()[0]

# covers: dict-views-as-lists, dict-keys-mutated-in-loop
conf = {'x': 1, 'y': 2}
for k, v in conf.items():
    conf.update({k + '_double': v * 2})
print sorted(conf.items())

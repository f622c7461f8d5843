# py2to3-args: --extend-select json-sort-keys
# covers: json-sort-keys
import json
data = {'b': 1, 'a': [1, 2], 'c': {'z': 1, 'y': 2}}
print json.dumps(data, sort_keys=True)
print json.dumps({'only': 1})
print json.loads(json.dumps(data)) == data

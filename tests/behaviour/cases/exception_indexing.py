# covers: indexing-exception
# expect-report: PY809
try:
    raise KeyError('k', 2)
except KeyError as e:
    print e[0], e[1]

# covers: raise-comma
def attempt(kind):
    if kind == 'msg':
        raise ValueError, "bad value"
    if kind == 'tuple':
        raise KeyError, ('k',)
    if kind == 'args':
        raise ValueError, (2, 'missing')
for kind in ['msg', 'tuple', 'args']:
    try:
        attempt(kind)
    except Exception, e:
        print kind, type(e).__name__, e.args

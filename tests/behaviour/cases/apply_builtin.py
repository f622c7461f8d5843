# covers: apply
def f(a, b=2, *rest, **kw):
    return a, b, rest, sorted(kw.items())
print apply(f, (1,))
print apply(f, (1, 3, 4), {'x': 5})
args = [7]
print apply(f, args, {})

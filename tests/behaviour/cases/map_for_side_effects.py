# covers: map-builtin, map-side-effects-trap
out = []
map(out.append, [1, 2, 3])
print out
def show(x):
    print 'item', x
map(show, 'ab')

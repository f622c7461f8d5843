# covers: generator-throw
import sys
def worker():
    while True:
        try:
            yield 'ready'
        except KeyError as e:
            yield 'handled %s' % (e.args,)
g = worker()
print next(g)
try:
    {}['x']
except KeyError:
    tb = sys.exc_info()[2]
print g.throw(KeyError, ('k',), tb)

# covers: generator-throw
def gen():
    try:
        yield 1
    except ValueError as e:
        yield 'caught %s' % e.args[0]
g = gen()
print g.next()
print g.throw(ValueError, 'boom')
g2 = gen()
next(g2)
try:
    g2.throw(KeyError, 'k')
except KeyError as e:
    print 'KeyError', e.args

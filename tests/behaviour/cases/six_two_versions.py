# covers: six-future-imports, six-names, six-imports, six-branches
# Under --target six this becomes two-version code (print_function and division futures,
# six.iteritems, six.string_types, six.moves.range, six.with_metaclass, a six.PY2 branch for
# encodestring); --round-trip then turns it back into plain Python 3 through the six-* fixers.
import base64
import Queue


class Registry(type):
    names = []

    def __init__(cls, name, bases, body):
        type.__init__(cls, name, bases, body)
        Registry.names.append(name)


class Plugin(object):
    __metaclass__ = Registry


class Words(Plugin):
    pass


counts = {'a': 1, 'b': 2}
for key, value in sorted(counts.iteritems()):
    print key, value, isinstance(key, basestring)
print sum(i for i in xrange(4)), 7 / 2.0
print Registry.names
print base64.encodestring('abc').strip().decode('ascii')
q = Queue.Queue()
q.put(3)
print q.get()

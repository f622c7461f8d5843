# covers: module-renames
import cPickle
import cStringIO
data = {'a': [1, 2], 'b': (3,)}
blob = cPickle.dumps(data, 2)
print cPickle.loads(blob) == data
buf = cStringIO.StringIO()
buf.write('hello ')
buf.write('world')
print buf.getvalue()

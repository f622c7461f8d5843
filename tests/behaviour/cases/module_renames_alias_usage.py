# covers: module-renames
import cPickle as pickle
import Queue as queue_module
print pickle.loads(pickle.dumps([1, 'two'])) == [1, 'two']
q = queue_module.LifoQueue()
q.put('a'); q.put('b')
print q.get()

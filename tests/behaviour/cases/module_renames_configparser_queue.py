# covers: module-renames
import ConfigParser
import Queue
cp = ConfigParser.RawConfigParser()
cp.add_section('main')
cp.set('main', 'name', 'demo')
print cp.get('main', 'name'), cp.sections()
q = Queue.Queue()
q.put(1)
q.put(2)
print q.get(), q.qsize()
try:
    Queue.Queue().get_nowait()
except Queue.Empty:
    print 'empty'

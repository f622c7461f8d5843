# covers: module-renames
import thread
lock = thread.allocate_lock()
with lock:
    print 'locked', lock.locked()
print 'unlocked', lock.locked()
print thread.get_ident() > 0

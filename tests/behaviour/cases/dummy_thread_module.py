# covers: module-renames
# expect-report: PY814
import dummy_thread
lock = dummy_thread.allocate_lock()
print lock.acquire(), lock.locked()
lock.release()
print lock.locked()

# covers: raising-string
try:
    raise "old style"
except TypeError:
    print 'TypeError'

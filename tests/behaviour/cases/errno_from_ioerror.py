# covers: except-comma
import errno
try:
    open('/definitely/not/here.txt')
except (IOError, OSError), e:
    print e.errno == errno.ENOENT, isinstance(e, EnvironmentError)

# covers: print-statement
import sys
print 'working'
print >>sys.stderr, 'fatal: giving up'
sys.exit(3)

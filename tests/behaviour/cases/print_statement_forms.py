# covers: print-statement
import sys
print "hello", "world"
print "no newline",
print "after"
print
print >>sys.stdout, "to stdout", 42
x = 3
print "x is %d" % x, ; print "same line"
print ("a", "b")

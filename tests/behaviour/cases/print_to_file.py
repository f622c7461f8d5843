# covers: print-statement
import sys
class Collector(object):
    def __init__(self):
        self.parts = []
    def write(self, s):
        self.parts.append(s)
c = Collector()
print >>c, "one", 2, 3.0
print >>c
print >>c, "trailing",
print >>c, "x"
print repr(''.join(c.parts))
print >>sys.stderr, "warning goes to stderr"
print "%s=%r" % ("k", "v")

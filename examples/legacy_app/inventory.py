#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""A small Python 2 inventory tool, as it was written in 2009."""
import sys
import itertools
from itertools import izip


class InventoryError(Exception):
    pass


class Inventory(object):
    def __init__(self):
        self.items = {}

    def add(self, name, count=1L):
        if self.items.has_key(name):
            self.items[name] += count
        else:
            self.items[name] = count

    def names(self):
        names = self.items.keys()
        names.sort()
        return names

    def report(self, out=sys.stdout):
        for name, count in self.items.iteritems():
            print >>out, "%-20s %5d" % (name, count),
            print >>out
        print "total:", sum(self.items.itervalues())

    def check(self, name):
        if not self.items.has_key(name):
            raise InventoryError, "unknown item: %s" % name
        return self.items[name] <> 0


def pairs(seq):
    return izip(seq, seq[1:])


def main(argv):
    inv = Inventory()
    for line in open(argv[1]):
        name, count = line.split()
        inv.add(name, long(count))
    try:
        inv.check("widgets")
    except InventoryError, e:
        print >>sys.stderr, "warning:", e
    for a, b in pairs(inv.names()):
        print `a`, `b`
    squares = map(lambda (i, n): i * len(n), enumerate(inv.names()))
    print squares
    for i in xrange(3):
        print i,
    print
    mode = 0644
    print "mode %o" % mode


if __name__ == '__main__':
    main(sys.argv)

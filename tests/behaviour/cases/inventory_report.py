# covers: print-statement, except-comma, raise-comma, dict-iter-methods, unicode-builtins
class OutOfStock(Exception):
    pass
class Inventory(object):
    def __init__(self):
        self.items = {}
    def add(self, name, qty):
        self.items[name] = self.items.get(name, 0) + qty
    def take(self, name, qty):
        have = self.items.get(name, 0)
        if have < qty:
            raise OutOfStock, "%s: have %d, want %d" % (name, have, qty)
        self.items[name] = have - qty
    def report(self):
        return [unicode(n) + u'=' + unicode(q) for n, q in sorted(self.items.iteritems())]
inv = Inventory()
inv.add('bolt', 10)
inv.add('nut', 3)
for name, qty in [('bolt', 4), ('nut', 5)]:
    try:
        inv.take(name, qty)
        print 'took', qty, name
    except OutOfStock, e:
        print 'failed:', e
print ', '.join(inv.report())

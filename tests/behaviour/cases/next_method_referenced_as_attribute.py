# covers: next-method-def, next-attribute-trap
# Renaming next to __next__ breaks `self.next` used elsewhere.
class Reader(object):
    def __init__(self, items):
        self.items = list(items)
    def __iter__(self):
        return self
    def next(self):
        if not self.items:
            raise StopIteration
        return self.items.pop(0)
    def skip(self):
        self.next()
        return self
r = Reader('abcd')
r.skip()
getter = r.next
print getter(), list(r)

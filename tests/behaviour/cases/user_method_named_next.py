# covers: next-method-call, next-method-def, must-not-change
class Pager(object):
    """Not an iterator: next() takes an argument and __iter__ is absent."""
    def __init__(self):
        self.page = 1
    def next(self, step):
        self.page += step
        return self.page
p = Pager()
print p.next(2), p.next(1)

# covers: next-method-def, next-method-call
class Countdown(object):
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def next(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1
print list(Countdown(3))
c = Countdown(2)
print c.next(), next(c)

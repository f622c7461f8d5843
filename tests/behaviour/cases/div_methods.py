# covers: div-methods
class Money(object):
    def __init__(self, cents):
        self.cents = cents
    def __div__(self, n):
        return Money(self.cents // n)
    def __rdiv__(self, n):
        return n // self.cents
    def __idiv__(self, n):
        self.cents //= n
        return self
m = Money(1000) / 3
print m.cents
print 10 / Money(3)
m /= 2
print m.cents

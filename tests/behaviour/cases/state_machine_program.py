# covers: print-statement, next-method-def, next-method-call, ne-operator
class Tokens(object):
    def __init__(self, text):
        self.parts = text.split()
        self.i = 0
    def __iter__(self):
        return self
    def next(self):
        if self.i >= len(self.parts):
            raise StopIteration
        self.i += 1
        return self.parts[self.i - 1]
state = 'start'
t = Tokens('open read read close')
first = t.next()
print 'first', first
for tok in t:
    if tok <> 'read':
        state = tok
    print tok, state

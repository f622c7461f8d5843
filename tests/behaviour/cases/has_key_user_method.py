# covers: has-key, must-not-change
class Registry(object):
    def __init__(self):
        self.names = ['x']
    def has_key(self, k):
        return k in self.names
r = Registry()
print r.has_key('x'), r.has_key('y')

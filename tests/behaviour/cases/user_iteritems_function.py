# covers: dict-iter-methods, must-not-change, user-iteritems-trap
def iteritems(d):
    """A module helper with the same name as the dict method."""
    return sorted(d.iteritems())

class Store(object):
    def __init__(self):
        self.data = {'b': 2, 'a': 1}
    def iteritems(self):
        return iter(sorted(self.data.items()))

print iteritems({'q': 1, 'p': 2})
print list(Store().iteritems())

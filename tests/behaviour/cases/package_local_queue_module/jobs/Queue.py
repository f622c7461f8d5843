"""The package's own Queue module (Python 2 imports it, not the stdlib's)."""
class Queue(object):
    def __init__(self):
        self.items = ['local']
    def get(self):
        return self.items.pop()

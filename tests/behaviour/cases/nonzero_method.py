# covers: nonzero-method
class Box(object):
    def __init__(self, items):
        self.items = items
    def __nonzero__(self):
        return bool(self.items)
print bool(Box([])), bool(Box([1]))
if Box([0]):
    print 'truthy'
print not Box([])

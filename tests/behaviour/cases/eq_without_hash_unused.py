# covers: eq-without-hash
class Point(object):
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __eq__(self, other):
        return (self.x, self.y) == (other.x, other.y)
    def __ne__(self, other):
        return not self == other
print Point(1, 2) == Point(1, 2), Point(1, 2) != Point(2, 1)
print [Point(0, 0)].count(Point(0, 0))

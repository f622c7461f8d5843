# covers: eq-without-hash, unhashable-trap
class Tag(object):
    def __init__(self, name):
        self.name = name
    def __eq__(self, other):
        return self.name == other.name
tags = set([Tag('a'), Tag('b')])
print len(tags)

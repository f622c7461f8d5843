# covers: eq-without-hash, unhashable-trap
# expect-report: PY406
class Tag(object):
    def __init__(self, name):
        self.name = name
    def __eq__(self, other):
        return self.name == other.name
tags = set([Tag('a'), Tag('b')])
print len(tags)

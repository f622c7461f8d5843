# covers: cmp-method
class Version(object):
    def __init__(self, s):
        self.parts = tuple(int(p) for p in s.split('.'))
    def __cmp__(self, other):
        return cmp(self.parts, other.parts)
    def __repr__(self):
        return '.'.join(str(p) for p in self.parts)
vs = [Version('1.10'), Version('1.2'), Version('0.9')]
print sorted(vs)
print Version('1.0') < Version('1.1'), Version('2.0') == Version('2.0'), Version('3') >= Version('4')
print max(vs), min(vs)

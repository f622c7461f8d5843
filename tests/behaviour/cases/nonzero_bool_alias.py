# covers: nonzero-method, bool-alias-trap
class Flag(object):
    def __init__(self, on):
        self.on = on
    def __nonzero__(self):
        return self.on
    __bool__ = __nonzero__
print bool(Flag(True)), bool(Flag(False))

# covers: slice-methods
# expect-report: PY806
class Seq(object):
    def __init__(self, data):
        self.data = data
    def __getitem__(self, i):
        return self.data[i]
    def __getslice__(self, i, j):
        return 'slice %d:%d' % (i, j)
print Seq([1, 2, 3])[0:2]

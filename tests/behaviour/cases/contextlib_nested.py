# covers: contextlib-nested, contextlib-nested-trap
import contextlib
class Res(object):
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        print 'enter', self.name
        return self.name
    def __exit__(self, *exc):
        print 'exit', self.name
with contextlib.nested(Res('a'), Res('b')) as (a, b):
    print 'body', a, b

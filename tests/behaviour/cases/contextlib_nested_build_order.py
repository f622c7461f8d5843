# covers: contextlib-nested, contextlib-nested-trap
# nested() builds every manager before entering the first: the constructors print first.
import contextlib
class Res(object):
    def __init__(self, name):
        print 'build', name
        self.name = name
    def __enter__(self):
        print 'enter', self.name
        return self.name
    def __exit__(self, *exc):
        print 'exit', self.name
def run():
    with contextlib.nested(Res('a'), Res('b'), Res('c')) as (a, b, c):
        print 'body', a, b, c
    with contextlib.nested(Res('d'), Res('e')):
        print 'body'
run()

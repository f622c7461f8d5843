# covers: contextlib-nested
# One name after `as` receives the list of the values the managers' __enter__ returned.
import contextlib
import contextlib as cl
class Res(object):
    def __init__(self, name):
        print 'build', name
        self.name = name
    def __enter__(self):
        print 'enter', self.name
        return self.name.upper()
    def __exit__(self, *exc):
        print 'exit', self.name, exc[0] is not None
        return self.name == 'quiet'
first, second = Res('x'), Res('y')
with contextlib.nested(first, second) as both:  # later managers are plain names
    # the body sees a list
    print 'body', both, type(both).__name__
with cl.nested(Res('a'), Res('b'), Res('c')) as values: print 'inline', values; print 'two'
def run():
    with contextlib.nested(Res('quiet'), Res('loud')) as pair:

        print 'pair', pair
        raise KeyError('k')
    print 'suppressed'
    holder = [None]
    with contextlib.nested(Res('d')) as holder[0]:
        pass
    print 'holder', holder
run()

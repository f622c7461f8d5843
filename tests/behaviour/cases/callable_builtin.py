# covers: callable, must-not-change
class C(object):
    def __call__(self):
        return 1
print callable(len), callable(C()), callable(3), callable(C)

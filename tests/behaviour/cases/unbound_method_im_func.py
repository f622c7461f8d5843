# covers: method-attributes, unbound-method-trap
class A(object):
    def m(self):
        return 'called m'
f = A.m.im_func
print f(A())
print A.m.im_class.__name__

# covers: method-attributes
class A(object):
    def m(self):
        return 'm'
a = A()
bound = a.m
print bound.im_self is a, bound.im_func.__name__, bound.im_class.__name__
print bound.im_func(a)

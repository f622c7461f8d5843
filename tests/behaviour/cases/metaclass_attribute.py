# covers: metaclass
class Registry(type):
    classes = []
    def __new__(mcs, name, bases, ns):
        cls = type.__new__(mcs, name, bases, ns)
        Registry.classes.append(name)
        return cls
class Base(object):
    __metaclass__ = Registry
    def hello(self):
        return 'hello from %s' % type(self).__name__
class Child(Base):
    pass
print Registry.classes, type(Child).__name__
print Child().hello()

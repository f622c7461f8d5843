# covers: metaclass
class Upper(type):
    def __new__(mcs, name, bases, ns):
        ns = dict((k.upper() if not k.startswith('__') else k, v) for k, v in ns.items())
        return type.__new__(mcs, name, bases, ns)
class Config:
    """Docs."""
    __metaclass__ = Upper
    debug = True
    level = 3
print Config.DEBUG, Config.LEVEL, hasattr(Config, 'debug')

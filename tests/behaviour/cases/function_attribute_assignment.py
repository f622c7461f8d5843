# covers: function-attributes
def handler():
    pass
handler.func_name = 'renamed'
handler.func_doc = 'A doc.'
print handler.__name__, handler.__doc__
def defaults(a=1, b=2):
    return a + b
defaults.func_defaults = (10, 20)
print defaults()

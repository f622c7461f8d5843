# covers: function-attributes
def greet(name, punct='!'):
    "Say hello."
    return 'hello ' + name + punct
print greet.func_name, greet.func_doc, greet.func_defaults
print greet.func_code.co_argcount
g = greet.func_globals
print g['greet'] is greet
def outer():
    v = 1
    def inner():
        return v
    return inner
print len(outer().func_closure)
greet.func_dict['x'] = 1
print greet.x

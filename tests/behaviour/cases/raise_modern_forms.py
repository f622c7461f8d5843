# covers: raise-comma, must-not-change
def f():
    raise ValueError('modern')
try:
    f()
except ValueError as e:
    print e.args
try:
    try:
        f()
    except ValueError:
        raise
except ValueError as e:
    print 'reraised', e.args

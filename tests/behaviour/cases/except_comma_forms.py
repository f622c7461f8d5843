# covers: except-comma
def risky(n):
    if n == 0:
        raise ValueError("zero")
    if n == 1:
        raise KeyError("one")
    return n

for n in range(3):
    try:
        print risky(n)
    except ValueError, e:
        print 'ValueError', e
    except (KeyError, IndexError), err:
        print type(err).__name__, err.args
try:
    {}['missing']
except KeyError, e:
    print 'caught', repr(e.args[0])

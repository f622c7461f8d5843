from __init__ import unit, UNIT

def square(n):
    return '%d %s2' % (n * n, UNIT)

def unit_name():
    return unit()

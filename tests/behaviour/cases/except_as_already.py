# covers: except-comma, must-not-change
try:
    int('x')
except (ValueError, TypeError) as e:
    print type(e).__name__
try:
    [][1]
except IndexError:
    print 'IndexError'

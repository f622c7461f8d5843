# covers: exec-statement, exec-locals-trap
# expect-report: PY821
def compute():
    exec "y = 21 * 2"
    return y

try:
    print compute()
except NameError as e:
    print 'NameError'

def modify():
    x = 1
    exec "x = 2"
    return x
print modify()

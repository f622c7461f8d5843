# py2to3-args: --extend-select idioms
# covers: idioms
x = [3, 1, 2]
if type(x) == list:
    print 'a list'
if type(x) is not dict:
    print 'not a dict'
v = list(x)
v.sort()
print v
n = 0
while 1:
    n += 1
    if n > 3:
        break
print n

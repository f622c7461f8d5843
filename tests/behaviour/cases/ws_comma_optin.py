# py2to3-args: --extend-select ws-comma
# covers: ws-comma
a = [1 ,2 ,3]
d = {'k' :1 ,'j' :2}
print a ,sorted(d.items())

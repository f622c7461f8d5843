# covers: long-builtin
x = long(7)
print x, x * 3, long('123') + 1
print isinstance(5, (int, long)), isinstance(5L, long)
print long(2.9)

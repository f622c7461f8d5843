# covers: print-statement, print-tuple-trap
# Without print_function, print('a', 'b') prints a tuple in Python 2.
name = 'world'
print('hello', name)
print('single')
print()
print('x', 1, 2.5)

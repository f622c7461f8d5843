# covers: print-statement, print-tuple-trap
# Without print_function, print('a', 'b') prints a tuple in Python 2. The file shows it is
# Python 2 (a print statement): a file whose prints are all calls is taken as converted already
# (see the print-statement fixer's doc), or a second run would wrap what the first one wrote.
print 'start'
name = 'world'
print('hello', name)
print('single')
print()
print('x', 1, 2.5)

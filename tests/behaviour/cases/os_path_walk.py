# covers: os-path-walk, os-path-walk-trap
import os
os.makedirs(os.path.join('tree', 'sub'))
open(os.path.join('tree', 'sub', 'f.txt'), 'w').close()
found = []
def visit(arg, dirname, names):
    arg.extend(sorted(names))
os.path.walk('tree', visit, found)
print found

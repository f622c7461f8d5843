# covers: import-star-in-function
def helper():
    from os.path import *
    return join('a', 'b')
print helper()

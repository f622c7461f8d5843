# covers: map-builtin
# Python 2's map() pads the shorter sequence with None.
def add(a, b):
    if b is None:
        return a
    return a + b
print map(add, [1, 2, 3], [10])

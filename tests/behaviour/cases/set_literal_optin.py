# py2to3-args: --extend-select set-literal
# covers: set-literal
a = set([1, 2, 3])
b = set((3, 4))
print sorted(a | b), sorted(a & b), len(set([]))

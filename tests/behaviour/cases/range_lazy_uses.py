# covers: range-list, must-not-change
for i in range(3):
    print i
print sum(range(5)), len(range(7)), 3 in range(4)
print [i for i in range(3)], list(range(2)), sorted(range(3), reverse=True)

# covers: reduce, raw-input, must-not-change, shadowed-builtin
def reduce(items):
    return items[:1]
def raw_input(prompt):
    return 'answer to ' + prompt
print reduce([3, 4]), raw_input('q')

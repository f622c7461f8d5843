# covers: keyword-names
def combine(async, b):
    await = async + b
    return await
print combine(1, 2)
def scope(nonlocal):
    return nonlocal * 2
print scope(4)
def g(a, True=True):
    return a
print g(5)

# covers: generator-stop-iteration
# Python 2 ended a generator that raised StopIteration; Python 3.7+ turns it into RuntimeError.
def first_words(lines):
    for line in lines:
        if not line:
            raise StopIteration
        yield line.split()[0]

print list(first_words(['a b', 'c d', '', 'e f']))

def guarded():
    try:
        raise StopIteration
    except StopIteration:
        yield 'caught'

print list(guarded())

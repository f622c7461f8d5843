# covers: filter-builtin, filter-str-trap
# filter() over a str returns a str, over a tuple a tuple, in Python 2.
print filter(lambda c: c.isdigit(), 'a1b2c3')
print filter(None, (0, 1, 2))
print filter(lambda c: c != ' ', 'a b c').upper()

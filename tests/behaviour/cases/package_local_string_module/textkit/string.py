"""A local module named like the stdlib's string."""
def capwords(s):
    return '<' + ' '.join(w.capitalize() for w in s.split()) + '>'

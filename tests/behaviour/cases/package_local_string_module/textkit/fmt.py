import string

def title_case(s):
    return string.capwords(s)

UNIT = 'cm'
def unit():
    return UNIT

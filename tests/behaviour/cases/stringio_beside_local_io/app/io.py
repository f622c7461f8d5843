"""The package's own io module: a Python 2 implicit relative import target."""
def banner():
    return '== report =='

"""The package's own pickle module."""
NAME = 'local pickle helpers'
def describe():
    return NAME

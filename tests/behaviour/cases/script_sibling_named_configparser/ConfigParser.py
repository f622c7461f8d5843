def describe():
    return 'the local ConfigParser.py'

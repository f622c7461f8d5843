# covers: exec-statement
class Settings(object):
    exec "DEBUG = True\nLEVEL = 2"
print Settings.DEBUG, Settings.LEVEL

# covers: reload
import string
m = reload(string)
print m is string, m.__name__

# covers: relative-import, must-not-change
from lib import api
print api.call()

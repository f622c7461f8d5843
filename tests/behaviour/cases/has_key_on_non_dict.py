# covers: has-key, must-not-change
import os
env = dict(os.environ)
env['X_TEST'] = '1'
print 'X_TEST' in env
class Cfg(dict):
    pass
c = Cfg(a=1)
print c.has_key('a'), c.has_key('b')

# covers: reload, removed-sys-attribute
import sys
reload(sys)
sys.setdefaultencoding('utf-8')
print 'configured'

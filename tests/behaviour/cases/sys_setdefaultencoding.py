# covers: reload, removed-sys-attribute
# expect-report: PY815
import sys
reload(sys)
sys.setdefaultencoding('utf-8')
print 'configured'

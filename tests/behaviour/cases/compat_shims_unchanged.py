# covers: basestring, unicode-builtins, module-renames, must-not-change
import sys
PY2 = sys.version_info[0] == 2
try:
    from cStringIO import StringIO
except ImportError:
    from io import StringIO
try:
    string_types = basestring
except NameError:
    string_types = str
try:
    text_type = unicode
except NameError:
    text_type = str
print isinstance('x', string_types), text_type(5) == u'5'
buf = StringIO()
buf.write('compat')
print buf.getvalue()

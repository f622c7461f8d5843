# covers: module-renames, print-statement, has-key
import ConfigParser
from StringIO import StringIO
INI = """
[server]
host = localhost
port = 8080

[client]
retries = 3
"""
cp = ConfigParser.ConfigParser()
cp.readfp(StringIO(INI))
for section in sorted(cp.sections()):
    print '[%s]' % section
    for key, value in sorted(cp.items(section)):
        print '  %s = %s' % (key, value)
print cp.getint('server', 'port') + 1, cp.has_option('client', 'retries')

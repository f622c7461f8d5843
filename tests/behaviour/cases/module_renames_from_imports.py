# covers: module-renames
from StringIO import StringIO
from HTMLParser import HTMLParser
from urlparse import urlparse, urljoin
import httplib
import __builtin__
import copy_reg
import repr as reprlib
s = StringIO()
s.write('text')
print s.getvalue()
class Collect(HTMLParser):
    def __init__(self):
        HTMLParser.__init__(self)
        self.tags = []
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
p = Collect()
p.feed('<html><body><p>x</p></body></html>')
print p.tags
u = urlparse('http://example.com/a/b?x=1')
print u.netloc, u.path, u.query
print urljoin('http://example.com/a/b', 'c')
print httplib.OK, httplib.responses[404]
print __builtin__.len([1, 2])
print reprlib.repr([0] * 100)[:20]
print hasattr(copy_reg, 'pickle')

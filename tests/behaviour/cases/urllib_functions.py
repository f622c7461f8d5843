# covers: urllib
import urllib
import urllib2
print urllib.quote('a b/c')
print urllib.quote_plus('a b&c')
print urllib.unquote('a%20b')
print urllib.urlencode([('q', 'x y'), ('n', 1)])
req = urllib2.Request('http://example.com/', headers={'X-A': '1'})
print req.get_full_url(), req.get_method()
try:
    raise urllib2.HTTPError('http://x', 404, 'Not Found', {}, None)
except urllib2.URLError as e:
    print 'URLError subclass', e.code

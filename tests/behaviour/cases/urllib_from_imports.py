# covers: urllib
from urllib import urlencode, quote
from urllib2 import Request, URLError
print urlencode({'a': 1}), quote('x y/z')
print Request('http://h/p').get_host() if hasattr(Request, 'get_host') else Request('http://h/p').host
print issubclass(URLError, IOError)

# covers: urllib
# Aliased imports of urllib and urllib2: under --target six each use of a member becomes
# `six.moves.urllib.request.NAME` (or .parse) and the import goes; under py3 the import names
# the one module its members moved to.
import os, urllib2 as u2  # the opener
import urllib as u


def opener():
    import urllib2 as req
    return req.build_opener(req.HTTPErrorProcessor())


def query(params):
    return u.urlencode(sorted(params.items()))


r = u2.Request('http://example.com/a?b=1', headers={'X-A': '1'})
print r.get_full_url(), r.get_method(), r.get_header('X-a')
print query({'q': 'x y', 'n': 1})
print u.quote('a b/c'), u.unquote_plus('a+b%21')
print opener().__class__.__name__, os.sep

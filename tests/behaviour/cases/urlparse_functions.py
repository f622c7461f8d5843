# covers: module-renames
import urlparse
parts = urlparse.urlsplit('https://user@host:8080/p?q=1#f')
print parts.scheme, parts.hostname, parts.port, parts.fragment
print sorted(urlparse.parse_qs('a=1&b=2&a=3').items())
print urlparse.urlunparse(('http', 'h', '/p', '', 'x=1', ''))

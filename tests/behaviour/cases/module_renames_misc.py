# covers: module-renames
import Cookie
import cookielib
import SocketServer
import htmlentitydefs
import commands
c = Cookie.SimpleCookie()
c['k'] = 'v'
print c['k'].value
print hasattr(cookielib, 'CookieJar'), hasattr(SocketServer, 'TCPServer')
print htmlentitydefs.name2codepoint['amp']
print commands.getoutput('echo hi')

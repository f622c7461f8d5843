# covers: module-renames, htmlparseerror-trap
# expect-report: PY820
import HTMLParser
try:
    raise HTMLParser.HTMLParseError("bad markup", (1, 2))
except HTMLParser.HTMLParseError as e:
    print 'HTMLParseError caught'

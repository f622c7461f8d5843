from StringIO import StringIO
import io

def render(items):
    out = StringIO()
    out.write(io.banner() + '\n')
    for item in items:
        out.write('* %s\n' % item)
    return out.getvalue().strip()

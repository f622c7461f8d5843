# py2to3-args: --extend-select buffer --unsafe-fixes
# covers: buffer
data = bytearray(b'abcdef')
view = buffer(data)
print len(view), view[0] == data[0:1] or view[0] == data[0]

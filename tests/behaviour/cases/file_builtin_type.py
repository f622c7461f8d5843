# covers: file-builtin
# `file` as the type of isinstance/issubclass, alone and in a tuple.
import sys
def is_stream(x):
    return isinstance(x, (file, list))
f = open('type.txt', 'w')
print is_stream(f), is_stream([]), is_stream(3)
print issubclass(type(sys.stdout), file), issubclass(int, file)
f.close()

# covers: print-statement, softspace-trap
# Python 2's softspace: `print x,` then `print` writes no space before the newline.
for i in range(3):
    print i,
print
print "a",
print "b"

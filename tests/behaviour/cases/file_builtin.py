# covers: file-builtin
f = file('out.txt', 'w')
f.write('line one\nline two\n')
f.close()
for line in file('out.txt'):
    print line.rstrip()
print isinstance(open('out.txt'), file)

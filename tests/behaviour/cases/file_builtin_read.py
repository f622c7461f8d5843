# covers: file-builtin
f = file('data.txt', 'w')
f.write('x=1\n')
f.close()
print file('data.txt').read().strip()

# covers: xreadlines
with open('lines.txt', 'w') as f:
    f.write('one\ntwo\nthree\n')
f = open('lines.txt')
for line in f.xreadlines():
    print line.strip()
f.close()

# covers: binary-read-comparison
def write(path):
    f = open(path, 'wb')
    f.write(b'TZif2...')
    f.close()
def is_tzfile(path):
    f = open(path, 'rb')
    magic = f.read(4)
    f.close()
    return magic == 'TZif'
def check(path):
    f = open(path, 'rb')
    if f.read(4) != 'TZif':
        return 'bad'
    return 'good'
write('zone.bin')
print is_tzfile('zone.bin'), check('zone.bin')

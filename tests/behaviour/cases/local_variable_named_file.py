# covers: file-builtin, must-not-change, shadowed-builtin
file = 'report.txt'
print file.upper()
def show(file):
    return file.split('.')
print show(file)

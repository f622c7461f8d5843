# covers: execfile
with open('settings_snippet.py', 'w') as f:
    f.write('DEBUG = True\nNAME = "demo"\n')
ns = {}
execfile('settings_snippet.py', ns)
print ns['DEBUG'], ns['NAME']
execfile('settings_snippet.py')
print NAME

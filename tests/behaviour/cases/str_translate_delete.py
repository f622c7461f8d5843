# covers: str-translate-delete
print 'hello world'.translate(None, 'lo')

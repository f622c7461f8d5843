# covers: str-translate-delete
# expect-report: PY819
print 'hello world'.translate(None, 'lo')

# covers: exec-statement
code = "result = 6 * 7"
exec code
print result
ns = {}
exec "a = 1\nb = a + 1" in ns
print sorted(k for k in ns if not k.startswith('__'))
g, l = {}, {}
exec "z = 5" in g, l
print l['z'], 'z' in g
exec compile("w = 3", "<string>", "exec")
print w

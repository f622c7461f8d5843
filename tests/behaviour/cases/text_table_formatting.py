# covers: print-statement, string-module, backticks, number-literals
import string
rows = [('alpha', 1, 0.5), ('beta', 22, 12.25), ('gamma', 333, 100L)]
width = max(len(r[0]) for r in rows)
for name, n, x in rows:
    print string.ljust(name, width), string.rjust(`n`, 4), '%8.2f' % x
print string.join([r[0] for r in rows], '|')
print string.upper(string.strip('  total  ')), 0x10, 010

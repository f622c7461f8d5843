# covers: backticks
x = 42
s = 'it'
print `x`, `s`, `[1, 'a', None]`
print `x` + `x`
print `1 + 2`

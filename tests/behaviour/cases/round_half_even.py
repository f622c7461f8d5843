# covers: round-builtin
print round(2.5), round(3.5), round(0.125, 2)

# covers: coerce-builtin
print coerce(1, 2.5)

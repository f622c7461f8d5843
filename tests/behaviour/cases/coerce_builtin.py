# covers: coerce-builtin
# expect-report: PY801
print coerce(1, 2.5)

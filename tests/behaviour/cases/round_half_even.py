# covers: round-builtin
# expect-report: PY804
print round(2.5), round(3.5), round(0.125, 2)

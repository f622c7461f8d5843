# covers: comprehension-escape
# expect-report: PY813
squares = [n * n for n in range(4)]
print squares, n

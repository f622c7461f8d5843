# covers: number-literals, long-literal
mode = 0755
print mode, mode == 493
big = 10L
print big * 2, big + 1
h = 0xFFL
print h, 0777 + 1
print 2 ** 64L
print 00, 0L, 0o17, 0b101

# covers: whitespace-only-last-line, print-statement
x = [1, 2]
print len(x)
	  
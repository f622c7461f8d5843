# covers: print-statement
False = 0
print 'False is', False

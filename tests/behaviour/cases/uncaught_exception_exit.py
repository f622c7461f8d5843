# covers: print-statement, raise-comma
print 'before'
raise ValueError, 'unhandled problem'

# covers: exitfunc
import sys
def goodbye():
    print 'goodbye'
sys.exitfunc = goodbye
print 'main body'

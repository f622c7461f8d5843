# covers: tab-indent
def f(n):
	if n:
		return "yes"
        return "no"
print f(1), f(0)
class C:
    def m(self):
	return 3
print C().m()

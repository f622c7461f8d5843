# covers: intern
a = intern('hello world'[:5])
b = intern('hello')
print a is b, a

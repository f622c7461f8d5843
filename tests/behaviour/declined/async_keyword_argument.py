# covers: keyword-names
# `async` as a keyword argument and an attribute cannot be renamed without changing callers.
def run(async=False):
    return async
print run(async=True)
class Task(object):
    async = True
print Task.async

"""Iterator helpers from the Python 2 days."""
import itertools


class Countdown(object):
    def __init__(self, start):
        self.current = start

    def __iter__(self):
        return self

    def next(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current


def evens(numbers):
    return filter(lambda n: n % 2 == 0, numbers)


def first_two(it):
    it = iter(it)
    return it.next(), it.next()


def merged(a, b):
    return list(itertools.imap(lambda x, y: x + y, a, b))


def table(d):
    rows = zip(d.keys(), d.values())
    for key in sorted(d.iterkeys()):
        exec "print key" in {'key': key}
    return rows

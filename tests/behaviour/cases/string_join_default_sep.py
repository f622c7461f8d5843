# covers: string-module
import string
words = ['a', 'b', 'c']
print string.join(words), string.joinfields(words, '+')
print string.splitfields('a:b', ':'), string.count('banana', 'a')
print string.index('abc', 'c'), string.rfind('abca', 'a')

# covers: string-module
import string
print string.upper('abc'), string.lower('ABC')
print string.join(['a', 'b', 'c'], '-')
print string.split('a b  c')
print string.strip('  x  '), string.replace('aaa', 'a', 'b')
print string.atoi('42') + 1, string.atof('1.5')
print string.letters[:5], string.lowercase[:3], string.uppercase[-2:]
print string.digits, string.capitalize('word')
print string.find('hello', 'l'), string.zfill('7', 3)
t = string.maketrans('ab', 'xy')
print 'aabbc'.translate(t)

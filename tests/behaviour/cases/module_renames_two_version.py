# covers: module-renames, module-renames2, base64-encodestring
# The two-version imports of --target six (modules and members six.moves lacks), in a CRLF file.
import os
import UserDict
from UserDict import IterableUserDict as Iterable, UserDict as Base
from base64 import (decodestring,  # decodes alike
                    encodestring as enc)
import anydbm as db  # the default dbm


class Walk(UserDict.IterableUserDict):
    pass


class Walk2(Iterable):
    pass


w = Walk({'a': 1})
print sorted(k for k in w), sorted(Walk2({'b': 2})), Base({'c': 3})['c']
print repr(enc(b'hi')) in ("'aGk=\\n'", "b'aGk=\\n'"), decodestring(b'aGk=') == b'hi'


def run(path):
	import commands
	from whichdb import whichdb
	d = db.open(path, 'c')
	d['k'] = 'v'
	d.close()
	return commands.getoutput('echo two'), whichdb(path) is not None


print run(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'two_version_db'))

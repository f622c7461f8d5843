# covers: module-renames2
import anydbm
import whichdb
print whichdb.whichdb('no-such-file-here')
db = anydbm.open('cache_db', 'c')
db['key'] = 'value'
print db['key'] == 'value' or db['key'] == b'value'
db.close()
print whichdb.whichdb('cache_db') is not None

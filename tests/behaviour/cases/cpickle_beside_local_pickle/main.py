# covers: module-renames, local-pickle-module-trap, relative-import
from store import db
print db.roundtrip({'k': [1, 2]})
print db.describe()

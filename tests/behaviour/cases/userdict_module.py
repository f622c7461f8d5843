# covers: module-renames, userdict-trap
import UserDict
class Settings(UserDict.UserDict):
    def __getitem__(self, key):
        return UserDict.UserDict.__getitem__(self, key.lower())
s = Settings()
s['debug'] = 1
print s['DEBUG'], len(s)

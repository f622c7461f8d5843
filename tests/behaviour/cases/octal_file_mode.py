# covers: number-literals
import os
open('secret.txt', 'w').close()
os.chmod('secret.txt', 0640)
print os.stat('secret.txt').st_mode & 0777 == 0640
print 0640 + 0, 0o640

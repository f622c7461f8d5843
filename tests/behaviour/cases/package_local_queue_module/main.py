# covers: module-renames, relative-import, local-module-shadows-stdlib
from jobs import runner
print runner.run()

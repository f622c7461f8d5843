# covers: relative-import, must-not-change, script-sibling-import
# A script importing a module next to it: not a package, must stay an absolute import.
import tools
from tools import shout
print tools.shout('hi'), shout('there')

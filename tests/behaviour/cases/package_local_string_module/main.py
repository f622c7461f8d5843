# covers: relative-import, string-module, local-module-shadows-stdlib
from textkit import fmt
print fmt.title_case('hello world')

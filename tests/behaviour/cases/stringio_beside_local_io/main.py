# covers: module-renames, local-io-module-trap, relative-import
from app import report
print report.render(['a', 'b'])

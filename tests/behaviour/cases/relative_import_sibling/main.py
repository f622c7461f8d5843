# covers: relative-import
import pkg.core
print pkg.core.run()

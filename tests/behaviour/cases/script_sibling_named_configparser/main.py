# covers: module-renames, local-module-shadows-stdlib
# A script's folder comes first on sys.path: `import ConfigParser` finds the sibling file.
import ConfigParser
print ConfigParser.describe()

# covers: types-constants, str-literal-type-trap
import types
def kind(x):
    if isinstance(x, types.StringType):
        return 'str'
    if isinstance(x, types.UnicodeType):
        return 'unicode'
    return 'other'
print kind('plain'), kind(u'text'), kind(3)
print type('s') is types.StringType, type(u's') in types.StringTypes

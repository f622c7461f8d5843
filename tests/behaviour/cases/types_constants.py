# covers: types-constants
import types
print isinstance(3, types.IntType)
print isinstance([], types.ListType), isinstance({}, types.DictType)
print isinstance(None, types.NoneType), isinstance(1.5, types.FloatType)
print isinstance((1,), types.TupleType), isinstance(True, types.BooleanType)
print type(len) is types.BuiltinFunctionType

# covers: operator-functions, ismappingtype-trap
import operator
print operator.isMappingType({}), operator.isMappingType([])
print operator.isNumberType(3), operator.isNumberType('x')

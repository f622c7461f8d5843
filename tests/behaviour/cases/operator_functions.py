# covers: operator-functions
import operator
print operator.isCallable(len), operator.isCallable(3)
print operator.sequenceIncludes([1, 2], 2)
print operator.repeat('ab', 2)
print operator.isSequenceType([1]), operator.isSequenceType(3)

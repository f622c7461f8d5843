# covers: dict-iter-methods
import operator
scores = {'ann': 3, 'bob': 7, 'cid': 5}
for name, score in sorted(scores.iteritems(), key=operator.itemgetter(1), reverse=True):
    print name, score
print max(scores.iteritems(), key=operator.itemgetter(1))[0]

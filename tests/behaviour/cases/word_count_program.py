# covers: print-statement, dict-iter-methods, has-key, xrange, dict-views-as-lists
TEXT = """the quick brown fox jumps over the lazy dog
the dog barks and the fox runs"""
counts = {}
for line in TEXT.splitlines():
    for word in line.split():
        if counts.has_key(word):
            counts[word] += 1
        else:
            counts[word] = 1
ranked = sorted(counts.iteritems(), key=lambda (w, n): (-n, w))
for i in xrange(3):
    word, n = ranked[i]
    print "%-6s %d" % (word, n)
print len(counts.keys()), sum(counts.itervalues())

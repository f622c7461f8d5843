# covers: dict-views-as-lists, dict-iter-methods, must-not-change
prices = {'tea': 3, 'coffee': 4, 'juice': 5}
total = 0
for name in prices.keys():
    total += prices[name]
print total
for name, price in sorted(prices.items()):
    print name, price
other = {}
for k in prices.keys():
    other[k] = prices[k] + 1
print sorted(other.values())
print 'tea' in prices.keys(), len(prices.values())
print max(prices.values()), sorted(prices.keys())
print set(prices.keys()) == set(['tea', 'coffee', 'juice'])

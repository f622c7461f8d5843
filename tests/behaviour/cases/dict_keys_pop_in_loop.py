# covers: dict-views-as-lists, dict-keys-mutated-in-loop
stock = {'apple': 0, 'pear': 3, 'plum': 0, 'fig': 7}
for name in stock.keys():
    if stock[name] == 0:
        stock.pop(name)
print sorted(stock)

# covers: map-builtin, zip-builtin, print-statement, dict-views-as-lists
ROWS = """name,age,city
ann,31,paris
bob,25,rome"""
lines = ROWS.split('\n')
header = lines[0].split(',')
records = [dict(zip(header, l.split(','))) for l in lines[1:]]
ages = map(int, [r['age'] for r in records])
print ages, sum(ages) / len(ages)
print sorted(records[0].keys())
print [r['name'] for r in sorted(records, key=lambda r: r['age'])]

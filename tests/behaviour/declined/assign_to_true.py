True = 1
print True

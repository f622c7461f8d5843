# covers: cmp-method, cmp-builtin, print-statement
class Card(object):
    ORDER = '23456789TJQKA'
    def __init__(self, face):
        self.face = face
    def __cmp__(self, other):
        return cmp(self.ORDER.index(self.face), self.ORDER.index(other.face))
    def __repr__(self):
        return 'Card(%s)' % self.face
hand = [Card('K'), Card('2'), Card('A'), Card('T')]
hand.sort()
print hand
print Card('A') > Card('K'), Card('3') == Card('3'), Card('2') != Card('3')
print max(hand), sorted(hand, reverse=True)[1]

# covers: unicode-builtins, unicode-method, unicode-method-trap
class Name(object):
    def __init__(self, first):
        self.first = first
    def __unicode__(self):
        return u'Name(%s)' % self.first
print unicode(Name('ann'))

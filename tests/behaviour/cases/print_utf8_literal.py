# -*- coding: utf-8 -*-
# covers: print-statement, must-not-change
print "café"
print u"naïve"

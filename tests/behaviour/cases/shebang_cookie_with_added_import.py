#!/usr/bin/env python
# -*- coding: latin-1 -*-
# covers: reduce, intern, import-placement-trap
"""Café totals."""
print reduce(lambda a, b: a + b, [1, 2]), len(__doc__), intern("x")
print len(u"é"), u"é" == u"\xe9"

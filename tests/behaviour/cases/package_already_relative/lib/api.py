from __future__ import absolute_import
from . import util
from .util import helper
import json

def call():
    return util.helper() + ' ' + helper() + ' ' + json.dumps([1])

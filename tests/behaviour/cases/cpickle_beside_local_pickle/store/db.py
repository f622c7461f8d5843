import cPickle
import pickle

def roundtrip(obj):
    return cPickle.loads(cPickle.dumps(obj, 2)) == obj

def describe():
    return pickle.describe()

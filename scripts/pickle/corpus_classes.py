"""Classes the pickle corpus stores instances of (module `corpus_classes`, outside the stdlib).

The generator puts this folder on sys.path so that CPython can load the blobs that name it;
the Rust auditor cannot know the module and reports "needs module corpus_classes importable".
"""


class Plain(object):
    """A new-style class with a plain __dict__."""

    def __init__(self, x=1, name="n"):
        self.x = x
        self.name = name

    def __eq__(self, other):
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __repr__(self):
        return "%s(%r)" % (type(self).__name__, sorted(self.__dict__.items()))


class OldStyle:
    """Stands for a Python 2 old-style class (INST/OBJ opcodes)."""

    def __eq__(self, other):
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __repr__(self):
        return "%s(%r)" % (type(self).__name__, sorted(self.__dict__.items()))

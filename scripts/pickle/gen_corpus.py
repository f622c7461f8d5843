#!/usr/bin/env python3
"""Writes the pickle-audit corpus and its oracle manifest.

    python3 scripts/pickle/gen_corpus.py OUT_DIR

Two kinds of blobs:
  * py3/: values pickled by this Python 3 at protocols 0-5 (str, bytes, bytearray, ints and big
    ints, floats, sets, nested containers, datetime/date/time, classes from modules Python 2
    lacks, a class outside the stdlib, shared and recursive references).
  * py2/: blobs assembled opcode by opcode the way Python 2.7's pickle/cPickle writes them
    (see Py2Writer below, which follows Python 2.7 Lib/pickle.py save_* methods), at
    protocols 0, 1 and 2: str ASCII and non-ASCII, unicode, str vs unicode dict keys,
    datetime/date/time states, __builtin__.set, copy_reg._reconstructor, old-style instances,
    exceptions, decimal, renamed and removed modules.

manifest.json records, for every blob, what CPython 3's pickle.loads really does under
encoding='ASCII', 'latin1' and 'bytes' (the oracle), plus what pickletools.genops reads
(opcodes, protocol, GLOBAL/INST names). Blobs are only loaded here because this script
builds them itself from harmless values; nothing hostile is ever loaded.
"""
import collections
import datetime
import decimal
import fractions
import io
import ipaddress
import json
import os
import pathlib
import pickle
import pickletools
import re
import struct
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_classes  # noqa: E402

ENCODINGS = ["ASCII", "latin1", "bytes"]


# --------------------------------------------------------------------------- Python 3 values
def py3_values():
    shared = [1, 2]
    recursive = []
    recursive.append(recursive)
    return {
        "str_ascii": "hello",
        "str_empty": "",
        "str_cjk": "\u7231",
        "str_astral": "\U0001f600 \ud800 surrogate",
        "str_newline_backslash": "a\nb\\c u\\u0041",
        "bytes_ascii": b"bytes",
        "bytes_binary": b"\xff\x00\x80",
        "bytes_empty": b"",
        "bytearray": bytearray(b"ab\xff"),
        "int_small": 7,
        "int_neg": -1,
        "int_16bit": 65535,
        "int_32bit": 2**31,
        "int_neg32": -(2**31) - 1,
        "int_big": 2**64,
        "int_huge_neg": -(2**100),
        "float": 1.5,
        "float_inf": float("inf"),
        "float_negzero": -0.0,
        "float_big": 1e100,
        "none_bool": [None, True, False],
        "set": {1, 2, 3},
        "frozenset": frozenset(["a"]),
        "set_empty": set(),
        "tuple_sizes": [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)],
        "dict_str_keys": {"a": 1, "b": "\u7231"},
        "dict_bytes_keys": {b"a": 1},
        "nested": {"a": [1, (2, "b"), {"c": b"d"}], "e": {1, 2}, "f": [[[[]]]]},
        "shared_refs": [shared, shared],
        "recursive_list": recursive,
        "datetime": datetime.datetime(2020, 1, 2, 3, 4, 5, 6),
        "datetime_1900": datetime.datetime(1900, 1, 1),
        "date": datetime.date(2020, 1, 2),
        "time": datetime.time(3, 4, 5),
        "timedelta": datetime.timedelta(days=1, seconds=2),
        "ordered_dict": collections.OrderedDict([("a", 1), ("b", 2)]),
        "decimal": decimal.Decimal("1.5"),
        "fraction": fractions.Fraction(1, 3),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "range": range(3),
        "pathlib": pathlib.PurePosixPath("/tmp/x"),
        "ipaddress": ipaddress.IPv4Address("1.2.3.4"),
        "class_outside_stdlib": corpus_classes.Plain(),
        "builtin_function": len,
        "type_ref": collections.OrderedDict,
        "long_list": list(range(1200)),
        "long_text": "x" * 300,
        "long_bytes": b"y" * 300,
    }


# ------------------------------------------------------------------- Python 2.7 pickle writer
class Py2Str(bytes):
    """A Python 2 `str` (written with STRING / BINSTRING / SHORT_BINSTRING)."""


class Py2Unicode(str):
    """A Python 2 `unicode` (written with UNICODE / BINUNICODE)."""


class Py2Long(int):
    """A Python 2 `long` (written with LONG / LONG1 / LONG4)."""


class Call:
    """`module.name(*args)` written as GLOBAL + args tuple + REDUCE, like py2 __reduce__."""

    def __init__(self, module, name, args, state=None):
        self.module, self.name, self.args, self.state = module, name, args, state


class GlobalRef:
    """A class or function pickled by reference (GLOBAL)."""

    def __init__(self, module, name):
        self.module, self.name = module, name


class OldInstance:
    """An old-style class instance: INST (protocol 0) or MARK GLOBAL OBJ (1+), then BUILD."""

    def __init__(self, module, name, state):
        self.module, self.name, self.state = module, name, state


class NewInstance:
    """A new-style instance: copy_reg._reconstructor (protocol 0/1) or NEWOBJ (2), then BUILD."""

    def __init__(self, module, name, state):
        self.module, self.name, self.state = module, name, state


def py2_repr_str(b):
    """Python 2 repr() of a str, as pickle.py's save_string writes it at protocol 0."""
    quote = b'"' if (b"'" in b and b'"' not in b) else b"'"
    out = bytearray(quote)
    for c in b:
        ch = bytes([c])
        if ch == b"\\":
            out += b"\\\\"
        elif ch == quote:
            out += b"\\" + ch
        elif ch == b"\t":
            out += b"\\t"
        elif ch == b"\n":
            out += b"\\n"
        elif ch == b"\r":
            out += b"\\r"
        elif 0x20 <= c < 0x7F:
            out += ch
        else:
            out += b"\\x%02x" % c
    return bytes(out + quote)


def encode_long(x):
    """pickle.encode_long: little-endian two's complement, shortest."""
    if x == 0:
        return b""
    nbytes = (x.bit_length() >> 3) + 1
    result = x.to_bytes(nbytes, "little", signed=True)
    if x < 0 and nbytes > 1 and result[-1] == 0xFF and (result[-2] & 0x80) != 0:
        result = result[:-1]
    return result


class Py2Writer:
    """Writes values the way Python 2.7's Lib/pickle.py Pickler.save_* does."""

    def __init__(self, proto):
        self.proto = proto
        self.out = bytearray()
        self.memo = 0

    def put(self):
        i = self.memo
        self.memo += 1
        if self.proto == 0:
            self.out += b"p%d\n" % i
        elif i < 256:
            self.out += b"q" + bytes([i])
        else:
            self.out += b"r" + struct.pack("<I", i)

    def dump(self, obj):
        if self.proto >= 2:
            self.out += b"\x80" + bytes([self.proto])
        self.save(obj)
        self.out += b"."
        return bytes(self.out)

    def save_global(self, module, name):
        self.out += b"c" + module.encode() + b"\n" + name.encode() + b"\n"
        self.put()

    def save(self, obj):
        o = self.out
        if obj is None:
            o += b"N"
        elif obj is True or obj is False:
            if self.proto >= 2:
                o += b"\x88" if obj else b"\x89"
            else:
                o += b"I01\n" if obj else b"I00\n"
        elif isinstance(obj, Py2Long):
            if self.proto >= 2:
                b = encode_long(int(obj))
                o += (b"\x8a" + bytes([len(b)]) if len(b) < 256 else b"\x8b" + struct.pack("<i", len(b))) + b
            else:
                o += b"L%dL\n" % int(obj)
        elif isinstance(obj, int):
            if self.proto >= 1 and 0 <= obj < 256:
                o += b"K" + bytes([obj])
            elif self.proto >= 1 and 0 <= obj < 65536:
                o += b"M" + struct.pack("<H", obj)
            elif self.proto >= 1 and -(2**31) <= obj < 2**31:
                o += b"J" + struct.pack("<i", obj)
            else:
                o += b"I%d\n" % obj
        elif isinstance(obj, float):
            if self.proto >= 1:
                o += b"G" + struct.pack(">d", obj)
            else:
                o += b"F" + repr(obj).encode() + b"\n"
        elif isinstance(obj, Py2Str):
            if self.proto >= 1:
                n = len(obj)
                o += (b"U" + bytes([n]) if n < 256 else b"T" + struct.pack("<i", n)) + bytes(obj)
            else:
                o += b"S" + py2_repr_str(bytes(obj)) + b"\n"
            self.put()
        elif isinstance(obj, Py2Unicode):
            if self.proto >= 1:
                b = str(obj).encode("utf-8", "surrogatepass")
                o += b"X" + struct.pack("<I", len(b)) + b
            else:
                s = str(obj).replace("\\", "\\u005c").replace("\n", "\\u000a")
                o += b"V" + s.encode("raw-unicode-escape") + b"\n"
            self.put()
        elif isinstance(obj, tuple):
            if not obj and self.proto >= 1:
                o += b")"
                return
            if self.proto >= 2 and len(obj) <= 3:
                for x in obj:
                    self.save(x)
                o += [b"\x85", b"\x86", b"\x87"][len(obj) - 1]
            else:
                o += b"("
                for x in obj:
                    self.save(x)
                o += b"t"
            self.put()
        elif isinstance(obj, list):
            if self.proto >= 1:
                o += b"]"
                self.put()
                if len(obj) == 1:
                    self.save(obj[0])
                    o += b"a"
                elif obj:
                    for i in range(0, len(obj), 1000):
                        o += b"("
                        for x in obj[i:i + 1000]:
                            self.save(x)
                        o += b"e"
            else:
                o += b"(l"
                self.put()
                for x in obj:
                    self.save(x)
                    o += b"a"
        elif isinstance(obj, dict):
            items = list(obj.items())
            if self.proto >= 1:
                o += b"}"
                self.put()
                if len(items) == 1:
                    self.save(items[0][0])
                    self.save(items[0][1])
                    o += b"s"
                elif items:
                    o += b"("
                    for k, v in items:
                        self.save(k)
                        self.save(v)
                    o += b"u"
            else:
                o += b"(d"
                self.put()
                for k, v in items:
                    self.save(k)
                    self.save(v)
                    o += b"s"
        elif isinstance(obj, GlobalRef):
            self.save_global(obj.module, obj.name)
        elif isinstance(obj, Call):
            self.save_global(obj.module, obj.name)
            self.save(tuple(obj.args))
            o += b"R"
            self.put()
            if obj.state is not None:
                self.save(obj.state)
                o += b"b"
        elif isinstance(obj, OldInstance):
            o += b"("
            if self.proto >= 1:
                self.save_global(obj.module, obj.name)
                o += b"o"
            else:
                o += b"i" + obj.module.encode() + b"\n" + obj.name.encode() + b"\n"
            self.put()
            self.save(obj.state)
            o += b"b"
        elif isinstance(obj, NewInstance):
            if self.proto >= 2:
                self.save_global(obj.module, obj.name)
                o += b")\x81"
            else:
                self.save_global("copy_reg", "_reconstructor")
                o += b"("
                self.save_global(obj.module, obj.name)
                self.save_global("__builtin__", "object")
                o += b"N"
                o += b"t"
                self.put()
                o += b"R"
            self.put()
            self.save(obj.state)
            o += b"b"
        else:
            raise TypeError("py2 writer cannot write %r" % (obj,))


def dt_state(d):
    """The py2 str state that Python 2.7's datetime/date/time __reduce__ returns."""
    return Py2Str(d.__reduce__()[1][0])


def S(b):
    return Py2Str(b)


def U(s):
    return Py2Unicode(s)


def py2_values():
    return {
        "str_ascii": S(b"hello"),
        "str_nonascii_binary": S(b"\xff\x00\x80"),
        "str_utf8_text": S("\u7231".encode("utf-8")),
        "str_quotes": S(b"it's"),
        "str_escapes": S(b"tab\there\nnl\\bs\x7f"),
        "str_long": S(b"z" * 300),
        "str_long_nonascii": S(b"\xe9" * 300),
        "unicode_ascii": U("hello"),
        "unicode_cjk": U("\u7231"),
        "unicode_newline_backslash": U("a\nb\\c"),
        "dict_str_keys": {S(b"a"): 1, S(b"b"): S(b"x")},
        "dict_str_key_nonascii_value": {S(b"a"): S("\u7231".encode("utf-8"))},
        "dict_unicode_keys": {U("a"): U("\u7231")},
        "dict_mixed_keys": {S(b"a"): 1, U("b"): 2},
        "dict_nonascii_key": {S(b"caf\xc3\xa9"): 1},
        "ints": [0, 255, 256, 65536, -1, 2**31 - 1, -(2**31)],
        "int_64bit": 2**40,
        "long": Py2Long(2**64),
        "long_small": Py2Long(5),
        "float": 1.5,
        "none_bools": [None, True, False],
        "tuple": (S(b"a"), 1, U("b"), 2.0),
        "nested": {S(b"a"): [1, (2, S(b"b")), {S(b"c"): U("d")}]},
        "datetime_2020": Call("datetime", "datetime", [dt_state(datetime.datetime(2020, 1, 2, 3, 4, 5, 6))]),
        "datetime_1900_ascii": Call("datetime", "datetime", [dt_state(datetime.datetime(1900, 1, 1))]),
        "date_2000": Call("datetime", "date", [dt_state(datetime.date(2000, 1, 1))]),
        "date_1900_ascii": Call("datetime", "date", [dt_state(datetime.date(1900, 1, 1))]),
        "time_ascii": Call("datetime", "time", [dt_state(datetime.time(3, 4, 5))]),
        "time_microseconds": Call("datetime", "time", [dt_state(datetime.time(3, 4, 5, 999999))]),
        "builtin_set": Call("__builtin__", "set", [[1, 2, S(b"a")]]),
        "builtin_frozenset": Call("__builtin__", "frozenset", [[U("a")]]),
        "new_style_reconstructor": NewInstance("corpus_classes", "Plain", {S(b"x"): 1, S(b"name"): S(b"n")}),
        "new_style_nonascii_state": NewInstance("corpus_classes", "Plain", {S(b"x"): S(b"\xe9")}),
        "old_style_instance": OldInstance("corpus_classes", "OldStyle", {S(b"a"): 1}),
        "exception_valueerror": Call("exceptions", "ValueError", [S(b"boom")]),
        "exception_standarderror": GlobalRef("exceptions", "StandardError"),
        "decimal": Call("decimal", "Decimal", [S(b"1.5")]),
        "userdict_class": GlobalRef("UserDict", "UserDict"),
        "xrange_ref": GlobalRef("__builtin__", "xrange"),
        "basestring_ref": GlobalRef("__builtin__", "basestring"),
        "unicode_type": GlobalRef("__builtin__", "unicode"),
        "sets_module_removed": GlobalRef("sets", "Set"),
        "numpy_array": Call("numpy.core.multiarray", "_reconstruct", [GlobalRef("numpy", "ndarray"), (0,), S(b"b")]),
        "ordered_dict": Call("collections", "OrderedDict", [[[S(b"a"), 1]]]),
        # bytearray as Python 2.7 reduces it (unicode text, 'latin-1'), and of a py2 str.
        "bytearray_py27": Call("__builtin__", "bytearray", [U("\xff\x00"), S(b"latin-1")]),
        "bytearray_of_str": Call("__builtin__", "bytearray", [S(b"\xff\x00")]),
        "bytearray_of_ascii_str": Call("__builtin__", "bytearray", [S(b"ab")]),
    }


# ------------------------------------------------------------------------ edge cases
def edge_blobs():
    """Hand-made harmless blobs that probe the unpickler's rules (neither Python writes them)."""
    dt_state = datetime.datetime(2020, 1, 2).__reduce__()[1][0]
    return {
        "global_builtin_at_proto3": b"\x80\x03c__builtin__\nset\n.",
        "global_copy_reg_at_proto3": b"\x80\x03ccopy_reg\n_reconstructor\n.",
        "proto_6": b"\x80\x06N.",
        "str_and_unicode_same_key": b"(dS'a'\nI1\nsVa\nI2\ns.",
        "unhashable_list_key": b"}]Ns.",
        "unhashable_tuple_key": b"}(]tNs.",
        "frozenset_of_list": b"\x80\x04(]\x91.",
        "datetime_unicode_state": b"cdatetime\ndatetime\n(V" + dt_state.decode("latin1").encode("raw-unicode-escape") + b"\ntR.",
        "datetime_bad_state": b"cdatetime\ndatetime\n(S'short'\ntR.",
        "datetime_insane_month": b"cdatetime\ndatetime\n(U\n\x07\xe4\x0d\x02\x00\x00\x00\x00\x00\x00tR.",
        "date_bytes_state_proto3": b"\x80\x03cdatetime\ndate\nC\x04\x07\xe4\x01\x02\x85R.",
        "stack_global_py2_str": b"\x80\x04U\x08builtinsU\x03set\x93).",
        "stack_global_int": b"\x80\x04K\x01K\x02\x93.",
        "persid": b"Pfoo\n.",
        "binpersid": b"K\x01Q.",
        "ext1": b"\x80\x02\x82\x01.",
        "next_buffer": b"\x80\x05\x97.",
        "readonly_buffer_on_bytes": b"\x80\x05C\x01a\x98.",
        "getattr_str_name": b"c__builtin__\ngetattr\n(c__builtin__\nobject\nS'__name__'\ntR.",
        "frame_too_long": b"\x80\x04\x95\xff\x00\x00\x00\x00\x00\x00\x00N.",
        "trailing_garbage": b"N.garbage",
        "pop_mark_with_pop": b"(0N.",
        "decimal_unicode_arg": b"cdecimal\nDecimal\n(V1.5\ntR.",
        "unicode_truncated_escape": b"V\\u12\n.",
        "string_unquoted": b"Sabc\n.",
        "string_bad_hex_escape": b"S'\\x4'\n.",
        "string_octal_escape": b"S'\\101\\0'\n.",
        "binunicode_invalid_utf8": b"X\x01\x00\x00\x00\xff.",
        "binunicode_surrogate": b"X\x03\x00\x00\x00\xed\xa0\x80.",
        "memo_get_missing": b"g5\n.",
        "setitem_on_list": b"]K\x01K\x02s.",
        "append_on_dict": b"}K\x01a.",
        "reduce_args_not_tuple": b"c__builtin__\nset\n]R.",
        "newobj_on_str": b"\x80\x02U\x01a)\x81.",
        "empty_stack_stop": b".",
        "mark_then_stop": b"(.",
        "int_bool_forms": b"(I01\nI00\nI-5\nL12L\nF1.5\nl.",
        "negative_binstring": b"T\xff\xff\xff\xffabc.",
        "recursive_dict": b"}q\x00U\x01ah\x00s.",
        "build_on_list": b"]}b.",
        "newobj_ex_proto4": b"\x80\x04\x8c\x0bcollections\x8c\x0bOrderedDict\x93)}\x92.",
        "obj_opcode": b"(c__builtin__\nobject\no.",
        "inst_opcode": b"(i__builtin__\nobject\n.",
        "bytearray8": b"\x80\x05\x96\x02\x00\x00\x00\x00\x00\x00\x00ab.",
        "emptyset_additems": b"\x80\x04\x8f(K\x01K\x02\x90.",
        "additems_unhashable": b"\x80\x04\x8f(]\x90.",
        "long4": b"\x80\x02\x8b\x09\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01.",
    }


# ----------------------------------------------------------------------------- oracle
def oracle(blob):
    result = {}
    for enc in ENCODINGS:
        try:
            value = pickle.loads(blob, encoding=enc)
            result[enc] = {"ok": True, "repr": safe_repr(value), "error": None}
        except Exception as e:  # record exactly what CPython does
            result[enc] = {"ok": False, "repr": None, "error": "%s: %s" % (type(e).__name__, e)}
    return result


def safe_repr(value):
    try:
        # Object addresses change from run to run; keep the manifest reproducible.
        return re.sub(r" at 0x[0-9a-f]+", " at 0x...", repr(value))[:300]
    except Exception as e:
        return "<repr failed: %s>" % e


def genops_facts(blob):
    """What pickletools reads: opcode names, highest protocol, GLOBAL/INST names."""
    names, globals_, proto = [], [], 0
    try:
        ops = list(pickletools.genops(blob))
    except Exception:
        # pickletools decodes STRING arguments as ASCII and so cannot list py2 str with
        # non-ASCII bytes at protocol 0; the manifest then says nothing about opcodes.
        return None, None, None
    for op, arg, _pos in ops:
        names.append(op.name)
        proto = max(proto, op.proto)
        if op.name == "PROTO":
            proto = max(proto, arg)
        if op.name in ("GLOBAL", "INST"):
            globals_.append(arg.replace(" ", ".", 1))
        if op.name == "STOP":
            break
    return sorted(set(names)), proto, sorted(set(globals_))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    if os.environ.get("PYTHONHASHSEED") != "0":
        # Fixed string hashing, so that set order (in blobs and reprs) is reproducible.
        env = dict(os.environ, PYTHONHASHSEED="0")
        os.execve(sys.executable, [sys.executable] + sys.argv, env)
    out = sys.argv[1]
    entries = []

    def add(rel, blob, origin, written_proto, value_repr):
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(blob)
        opcodes, proto, globals_ = genops_facts(blob)
        entries.append({
            "file": rel,
            "origin": origin,
            "written_protocol": written_proto,
            "value": value_repr,
            "py3": oracle(blob),
            "opcodes": opcodes,
            "pickletools_protocol": proto,
            "globals": globals_,
        })

    for name, value in py3_values().items():
        for proto in range(0, pickle.HIGHEST_PROTOCOL + 1):
            add("py3/%s.p%d.pkl" % (name, proto), pickle.dumps(value, proto), "py3", proto, safe_repr(value))
    for name, value in py2_values().items():
        for proto in (0, 1, 2):
            blob = Py2Writer(proto).dump(value)
            add("py2/%s.p%d.pkl" % (name, proto), blob, "py2", proto, name)
    for name, blob in edge_blobs().items():
        add("edge/%s.pkl" % name, blob, "edge", None, name)
    manifest = {
        "generator": "scripts/pickle/gen_corpus.py",
        "python": sys.version.split()[0],
        "encodings": ENCODINGS,
        "blobs": entries,
    }
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")
    print("wrote %d blobs to %s" % (len(entries), out))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Write a known set of cache items into a memcached, and print what an audit must find.

Items come from the real clients (python-memcached, pymemcache and, when installed, pylibmc,
running on Python 3) and,
for the Python 2 side, from raw `set` commands carrying the bytes and flags python-memcached
wrote on Python 2 (pickle protocol 0 by default, `str` stored raw, `long` with flag 4,
zlib-compressed values with flag 8 added).

Prints one JSON object: {"items": [{key, verdict, dangerous, prefix, django_prefix, py2, py3}]}
where py3 is {ascii, latin1, bytes}: whether Python 3's pickle.loads succeeds with that
encoding, found by really loading each pickle here (except the dangerous one, never loaded).
py2 is what Python 2.7's pickle.loads does with it, known by construction.

Usage: write_test_items.py HOST:PORT [--with-bytearray]

--with-bytearray adds a Python 2 pickle of bytearray(str), which Python 3 loads only with
encoding="bytes" (latin1 hands bytearray a str: TypeError).
"""

import json
import pickle
import socket
import sys
import zlib

import memcache
from pymemcache.client.base import Client as PymemcacheClient

FLAG_PICKLE, FLAG_INT, FLAG_LONG, FLAG_ZLIB, FLAG_TEXT = 1, 2, 4, 8, 16


def py3_loads(blob):
    result = {}
    for encoding in ("ASCII", "latin1", "bytes"):
        try:
            pickle.loads(blob, encoding=encoding)
            result[{"ASCII": "ascii"}.get(encoding, encoding)] = True
        except Exception:
            result[{"ASCII": "ascii"}.get(encoding, encoding)] = False
    return result


def verdict_of(py2, py3):
    if py2 and py3["ascii"]:
        return "loads_on_both"
    if py2 and py3["latin1"]:
        return "needs_latin1"
    if py2 and py3["bytes"]:
        return "needs_bytes"
    if py2:
        return "py2_only"
    if py3["ascii"] or py3["latin1"] or py3["bytes"]:
        return "py3_only"
    return "unreadable"


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    server = "%s:%s" % (host, port)
    raw = socket.create_connection((host, int(port)))
    items = []

    def expect(key, verdict, prefix, django_prefix=None, dangerous=False, py2=None, py3=None):
        items.append(
            {
                "key": key,
                "verdict": verdict,
                "dangerous": dangerous,
                "prefix": prefix,
                "django_prefix": django_prefix if django_prefix is not None else prefix,
                "py2": py2,
                "py3": py3,
            }
        )

    def raw_set(key, flags, value):
        raw.sendall(b"set %s %d 0 %d\r\n%s\r\n" % (key.encode(), flags, len(value), value))
        reply = raw.recv(100)
        assert reply == b"STORED\r\n", reply

    def py2_pickle(key, blob, prefix, compress=False, django_prefix=None, py2=True):
        flags = FLAG_PICKLE
        value = blob
        if compress:
            value = zlib.compress(blob)
            flags |= FLAG_ZLIB
        raw_set(key, flags, value)
        py3 = py3_loads(blob)
        expect(key, verdict_of(py2, py3), prefix, django_prefix, py2=py2, py3=py3)

    # --- Python 2 python-memcached items (protocol 0 is its default; protocol 2 also used).
    py2_pickle("py2:dict:ascii", b"(dp0\nS'name'\np1\nS'bob'\np2\nsS'n'\np3\nI1\ns.", "py2")
    py2_pickle("py2:unicode", b"(lp0\nVcaf\\u00e9\np1\naI2\na.", "py2")
    py2_pickle("py2:str:latin", b"S'caf\\xe9'\np0\n.", "py2")
    py2_pickle("py2:p2:binstr", b"\x80\x02U\x03\xff\xfe\xfdq\x00.", "py2")
    py2_pickle(
        "py2:p2:dict",
        b"\x80\x02}q\x00(U\x01aq\x01K\x01U\x01bq\x02]q\x03(K\x02K\x03eu.",
        "py2",
    )
    # bytearray of a py2 str: latin1 hands it a str (TypeError), bytes works.
    if "--with-bytearray" in sys.argv:
        py2_pickle(
            "py2:bytearray",
            b"c__builtin__\nbytearray\np0\n(S'\\xff\\x00'\np1\ntp2\nRp3\n.",
            "py2",
        )
    # The sets module is gone in Python 3 (and not in its compat table).
    py2_pickle("py2:sets", b"csets\nSet\np0\n.", "py2")
    # Compressed by python-memcached (min_compress_len): flag 1|8.
    py2_pickle(
        "py2:zlib:big",
        b"(lp0\n" + b"".join(b"S'row%d'\np%d\na" % (i, i + 1) for i in range(200)) + b".",
        "py2",
        compress=True,
    )
    py2_pickle("py2:zlib:latin", b"S'" + b"\\xe9" * 300 + b"'\np0\n.", "py2", compress=True)
    # Truncated / garbage pickles.
    py2_pickle("broken:truncated", b"\x80\x02}q\x00(U\x01a", "broken", py2=False)
    py2_pickle("broken:garbage", b"hello, not a pickle", "broken", py2=False)
    raw_set("broken:zlib", FLAG_PICKLE | FLAG_ZLIB, b"definitely not zlib")
    expect("broken:zlib", "unreadable", "broken", py2=False, py3=None)
    # A pickle that runs a shell command when loaded (never loaded here).
    raw_set("evil:1", FLAG_PICKLE, b"cos\nsystem\n(S'echo pwned'\ntR.")
    expect(
        "evil:1",
        "loads_on_both",
        "evil",
        dangerous=True,
        py2=True,
        py3={"ascii": True, "latin1": True, "bytes": True},
    )
    # Non-pickled Python 2 values: str raw, int, long, bool (an int on Python 2).
    raw_set("py2raw:str", 0, b"caf\xe9")
    expect("py2raw:str", "not_pickled", "py2raw")
    raw_set("py2raw:int", FLAG_INT, b"42")
    expect("py2raw:int", "not_pickled", "py2raw")
    raw_set("py2raw:long", FLAG_LONG, b"123456789012345678901234567890")
    expect("py2raw:long", "not_pickled", "py2raw")
    raw_set("py2raw:bool", FLAG_INT, b"1")
    expect("py2raw:bool", "not_pickled", "py2raw")
    raw_set("py2raw:zstr", FLAG_ZLIB, zlib.compress(b"x" * 500))
    expect("py2raw:zstr", "not_pickled", "py2raw")
    # Flags no Python client writes.
    raw_set("other:php", 0x100, b"a:0:{}")
    expect("other:php", "unknown_flags", "other")

    # --- Python 3 python-memcached (pickle protocol 0 by default, text flag 16).
    mc = memcache.Client([server])
    values = {
        "pm3:dict": {"a": 1, "b": [1, 2]},
        "pm3:set": {1, 2, 3},
        "pm3:bytes_in": {"blob": b"\x00\xff"},
    }
    for key, value in values.items():
        assert mc.set(key, value)
        blob = pickle.dumps(value, 0)
        # Protocol 0 from Python 3: Python 2 loads dicts, sets and lists; `bytes` inside is
        # written as _codecs.encode(u'...', 'latin1'), which Python 2.7 also has.
        py3 = py3_loads(blob)
        expect(key, verdict_of(True, py3), "pm3", py2=True, py3=py3)
    assert mc.set("pm3:text", "h\u00e9llo")
    expect("pm3:text", "not_pickled", "pm3")
    assert mc.set("pm3:int", 7)
    expect("pm3:int", "not_pickled", "pm3")
    assert mc.set("pm3:ztext", "z" * 2000, min_compress_len=100)
    expect("pm3:ztext", "not_pickled", "pm3")
    assert mc.set("pm3:zdict", {"k": "v" * 2000}, min_compress_len=100)
    blob = pickle.dumps({"k": "v" * 2000}, 0)
    expect("pm3:zdict", verdict_of(True, py3_loads(blob)), "pm3", py2=True, py3=py3_loads(blob))
    # Python 3 python-memcached with a protocol Python 2 cannot read.
    mc4 = memcache.Client([server], pickleProtocol=4)
    assert mc4.set("pm3:p4", {"a": 1})
    expect("pm3:p4", "py3_only", "pm3", py2=False, py3=py3_loads(pickle.dumps({"a": 1}, 4)))

    # --- pymemcache with its pickle serde (HIGHEST_PROTOCOL: 5 on 3.8+).
    from pymemcache import serde

    pc = PymemcacheClient((host, int(port)), serde=serde.pickle_serde)
    for i in range(5):
        pc.set("pym:obj:%d" % i, {"i": i, "tags": ["x", "y"]})
        blob = pickle.dumps({"i": i, "tags": ["x", "y"]}, pickle.HIGHEST_PROTOCOL)
        expect("pym:obj:%d" % i, "py3_only", "pym", py2=False, py3=py3_loads(blob))
    pc.set("pym:bytes", b"raw bytes")
    expect("pym:bytes", "not_pickled", "pym")
    pc.set("pym:str", "text")
    expect("pym:str", "not_pickled", "pym")
    pc2 = PymemcacheClient((host, int(port)), serde=serde.PickleSerde(pickle_version=2))
    pc2.set("pym:p2", [1, "two"])
    blob = pickle.dumps([1, "two"], 2)
    expect("pym:p2", verdict_of(True, py3_loads(blob)), "pym", py2=True, py3=py3_loads(blob))
    cz = PymemcacheClient((host, int(port)), serde=serde.CompressedSerde(min_compress_len=10))
    cz.set("pym:zobj", {"text": "w" * 1000})
    blob = pickle.dumps({"text": "w" * 1000}, pickle.HIGHEST_PROTOCOL)
    expect("pym:zobj", "py3_only", "pym", py2=False, py3=py3_loads(blob))

    # --- Django keys (KEY_PREFIX:VERSION:key) through python-memcached, Python 2 style.
    py2_pickle(":1:views.decorators.cache.cache_page.abc", b"S'caf\\xe9'\np0\n.", "",
               django_prefix=":1:")
    py2_pickle("shop:2:session:abc", b"(dp0\nS'uid'\np1\nI7\ns.", "shop",
               django_prefix="shop:2:session")
    py2_pickle("shop:2:session:def", b"(dp0\nS'uid'\np1\nS'\\xff'\np2\ns.", "shop",
               django_prefix="shop:2:session")
    mc.set("shop:3:cart:1", {"items": [1, 2]})
    blob = pickle.dumps({"items": [1, 2]}, 0)
    expect("shop:3:cart:1", verdict_of(True, py3_loads(blob)), "shop",
           django_prefix="shop:3:cart", py2=True, py3=py3_loads(blob))

    # --- pylibmc 1.6 on Python 3, when it is installed (text 16, int 4, bool 2, pickle 5).
    try:
        import pylibmc
    except ImportError:
        pylibmc = None
    if pylibmc is not None:
        pl = pylibmc.Client([server])
        pl.set("plm:text", "h\u00e9llo")
        expect("plm:text", "not_pickled", "plm")
        pl.set("plm:int", 5)
        expect("plm:int", "not_pickled", "plm")
        pl.set("plm:bool", True)
        expect("plm:bool", "not_pickled", "plm")
        pl.set("plm:ztext", "t" * 3000, min_compress_len=100)
        expect("plm:ztext", "not_pickled", "plm")
        for key, value, compress in (("plm:obj", {"a": 1}, 0), ("plm:zobj", {"a": "y" * 3000}, 100)):
            pl.set(key, value, min_compress_len=compress)
            blob = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
            expect(key, "py3_only", "plm", py2=False, py3=py3_loads(blob))

    raw.close()
    json.dump({"items": items}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

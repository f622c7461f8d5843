"""Test data for `py2to3 memcache migrate` / `redis migrate` / `redis audit`, run under Python
2.7 and Python 3 alike.

    python migrate_items.py write memcache HOST:PORT [--set NAME]
    python migrate_items.py write redis redis://HOST:PORT/DB [--set NAME]
    python migrate_items.py read memcache HOST:PORT KEY...
    python migrate_items.py read redis redis://HOST:PORT/DB KEY...
    python migrate_items.py write-many memcache|redis ADDRESS COUNT

`write` stores this Python's items (keys `py2:...` or `py3:...`) the way the usual clients
store them (python-memcached on 2.7, pymemcache on 3; django-redis' conventions on redis:
pickle at the highest protocol, integers as digits, optional zlib) and prints a JSON object
{"items": [{"key", "expect"}...]}: what the test expects for each item (`rewrite`, `keep`,
`left`). `read` prints {key: canonical form of the value this Python reads}. The canonical
form tags each value with the type the reading Python gives it (text, bytes, int, ...), so
the test can compare what each Python sees.
"""

import datetime
import decimal
import json
import pickle
import sys
import zlib
from collections import OrderedDict

PY2 = sys.version_info[0] == 2
if PY2:
    text_type, bytes_type, int_types = unicode, str, (int, long)  # noqa: F821
else:
    text_type, bytes_type, int_types = str, bytes, (int,)


def canon(v):
    """A JSON-able form of `v` that keeps the type this Python reads it as."""
    if v is None:
        return None
    if isinstance(v, bool):
        return ["bool", v]
    if isinstance(v, int_types):
        return ["int", str(v)]
    if isinstance(v, float):
        return ["float", repr(v)]
    if isinstance(v, text_type):
        return ["text", v]
    if isinstance(v, bytes_type):
        return ["bytes", bytearray(v).hex() if not PY2 else v.encode("hex")]
    if isinstance(v, bytearray):
        return ["bytearray", "".join("%02x" % b for b in v)]
    if isinstance(v, OrderedDict):
        return ["odict", [[canon(k), canon(x)] for k, x in v.items()]]
    if isinstance(v, dict):
        items = [[canon(k), canon(x)] for k, x in v.items()]
        return ["dict", sorted(items, key=lambda kv: json.dumps(kv, sort_keys=True))]
    if isinstance(v, list):
        return ["list", [canon(x) for x in v]]
    if isinstance(v, tuple):
        return ["tuple", [canon(x) for x in v]]
    if isinstance(v, (set, frozenset)):
        kind = "set" if isinstance(v, set) else "frozenset"
        return [kind, sorted((canon(x) for x in v), key=lambda x: json.dumps(x))]
    if isinstance(v, datetime.datetime):
        return ["datetime", v.isoformat()]
    if isinstance(v, datetime.date):
        return ["date", v.isoformat()]
    if isinstance(v, decimal.Decimal):
        return ["decimal", str(v)]
    return ["object", type(v).__module__ + "." + type(v).__name__]


def py2_items():
    """(key, value, expect, options) written by Python 2.7."""
    import Cookie  # noqa: F401 (Python 2 only)

    shared = ["\xe9"]
    cookie = Cookie.SimpleCookie()
    cookie["k"] = "caf\xc3\xa9"
    return [
        ("py2:latin1", {"name": "caf\xc3\xa9", "n": 1, u"uni": u"\xe9t\xe9"}, "rewrite", {}),
        ("py2:list", ["\xff\x00", "ascii", 2.5, None, True, ("t", "\xe9"), 10 ** 12], "rewrite", {}),
        ("py2:dt", datetime.datetime(2020, 1, 2, 3, 4, 5, 6), "rewrite", {}),
        ("py2:shared", {"a": [shared, shared], "d": decimal.Decimal("1.5")}, "rewrite", {}),
        ("py2:z", {"big": "caf\xc3\xa9" * 100}, "rewrite", {"compress": True}),
        ("py2:ttl", {"t": "\xe9"}, "rewrite", {"ttl": 1000}),
        ("py2:cookie", cookie, "left", {}),
        ("py2:ascii", {"a": "b", "c": [1, 2]}, "keep", {}),
        ("py2:int", 7, "keep", {}),
    ]


def py3_items():
    """(key, value, expect, options) written by Python 3."""
    import pathlib

    shared = [1]
    return [
        (
            "py3:dict",
            {
                "name": "caf\xe9",
                "raw": b"\x00\xff",
                "n": 2 ** 40,
                "big": 2 ** 70,
                "f": 1.5,
                "t": (1, "x"),
                "s": {1, 2},
                "fs": frozenset(["a"]),
                "ba": bytearray(b"\x01"),
            },
            "rewrite",
            {},
        ),
        ("py3:dt", datetime.datetime(2020, 1, 2, 3, 4, 5, 6), "rewrite", {}),
        ("py3:od", OrderedDict([("b", 1), ("a", b"x")]), "rewrite", {}),
        ("py3:bkey", {b"k": "v", "e": b""}, "rewrite", {}),
        ("py3:shared", [shared, shared, decimal.Decimal("2.5")], "rewrite", {}),
        ("py3:z", {"big": "caf\xe9" * 100}, "rewrite", {"compress": True}),
        ("py3:path", pathlib.PurePosixPath("/x"), "left", {}),
        ("py3:collide", {"a": 1, b"a": 2}, "left", {}),
        ("py3:int", 5, "keep", {}),
    ]


def mc_client(addr):
    import memcache

    return memcache.Client([addr])


def write_memcache(addr, items):
    if PY2:
        client = mc_client(addr)
        for key, value, _, opts in items:
            ok = client.set(
                key,
                value,
                time=opts.get("ttl", 0),
                min_compress_len=1 if opts.get("compress") else 0,
            )
            assert ok, key
    else:
        import pymemcache

        host, port = addr.rsplit(":", 1)
        plain = pymemcache.Client((host, int(port)), serde=pymemcache.serde.pickle_serde)
        zserde = pymemcache.serde.CompressedSerde(min_compress_len=1)
        zipped = pymemcache.Client((host, int(port)), serde=zserde)
        for key, value, _, opts in items:
            client = zipped if opts.get("compress") else plain
            assert client.set(key, value, expire=opts.get("ttl", 0), noreply=False), key


def read_memcache(addr, keys):
    client = mc_client(addr)
    return dict((k, canon(client.get(k))) for k in keys)


def redis_client(url):
    import redis

    return redis.Redis.from_url(url)


def django_redis_encode(value, compress):
    """django-redis' DefaultClient.encode with its PickleSerializer and zlib compressor."""
    if isinstance(value, int_types) and not isinstance(value, bool):
        return value
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    if compress:
        data = zlib.compress(data)
    return data


def django_redis_decode(value):
    if value is None:
        return None
    try:
        return int(value)
    except (ValueError, TypeError):
        pass
    if value[:1] == b"\x78":
        try:
            value = zlib.decompress(value)
        except zlib.error:
            pass
    return pickle.loads(value)


def write_redis(url, items):
    r = redis_client(url)
    for key, value, _, opts in items:
        data = django_redis_encode(value, opts.get("compress"))
        r.set(":1:" + key, data, ex=opts.get("ttl"))


def read_redis(url, keys):
    r = redis_client(url)
    out = {}
    for k in keys:
        try:
            out[k] = canon(django_redis_decode(r.get(k)))
        except Exception:  # what python-memcached does with a value it cannot load
            out[k] = None
    return out


def write_many(backend, addr, count):
    """`count` items `many:<i>` = {'v': '\xe9', 'i': i}, all needing a rewrite."""
    items = [("many:%d" % i, {"v": b"\xe9", "i": i}, "rewrite", {}) for i in range(count)]
    (write_memcache if backend == "memcache" else write_redis)(addr, items)


def main():
    mode, backend, addr = sys.argv[1:4]
    if mode == "write-many":
        write_many(backend, addr, int(sys.argv[4]))
        return
    if mode == "write":
        items = py2_items() if PY2 else py3_items()
        (write_memcache if backend == "memcache" else write_redis)(addr, items)
        prefix = ":1:" if backend == "redis" else ""
        out = {
            "items": [
                {"key": prefix + key, "expect": expect, "value": canon(value)}
                for key, value, expect, _ in items
            ]
        }
    else:
        keys = sys.argv[4:]
        out = (read_memcache if backend == "memcache" else read_redis)(addr, keys)
    sys.stdout.write(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()

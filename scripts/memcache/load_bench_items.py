#!/usr/bin/env python3
"""Fill a memcached with N pickled items for the audit benchmark, fast.

Mixed Python 2 pickles (protocol 0 and 2, ASCII text or latin-1 bytes inside) and Python 3
pickles (protocol 4 and 5), 100 to 2000 bytes each, flag 1 (pickle) as python-memcached and
pymemcache write them, under a handful of key prefixes. Sent as pipelined `set ... noreply`
in large buffers, then one `version` to wait until the server has processed everything.

Usage: load_bench_items.py HOST:PORT COUNT
Prints the number of items and bytes written.
"""

import pickle
import random
import socket
import struct
import sys


def py2_proto0(text):
    escaped = "".join(c if 32 <= ord(c) < 127 and c not in "'\\" else "\\x%02x" % ord(c) for c in text)
    return ("(dp0\nS'name'\np1\nS'%s'\np2\nsS'id'\np3\nI5\ns." % escaped).encode("latin-1")


def py2_proto2(data):
    return (
        b"\x80\x02}q\x00(U\x04nameq\x01T"
        + struct.pack("<I", len(data))
        + data
        + b"q\x02U\x02idq\x03K\x05u."
    )


def py3_pickle(text, protocol):
    return pickle.dumps({"name": text, "id": 5, "tags": ["a", "b"]}, protocol)


def value_pool(rng):
    pool = []
    for i in range(512):
        size = rng.randint(100, 2000)
        kind = i % 6
        if kind == 0:
            pool.append(py2_proto0("a" * (size - 40)))
        elif kind == 1:
            pool.append(py2_proto0("\xe9" * ((size - 40) // 4)))
        elif kind == 2:
            pool.append(py2_proto2(b"b" * (size - 40)))
        elif kind == 3:
            pool.append(py2_proto2(bytes(rng.randrange(256) for _ in range(size - 40))))
        elif kind == 4:
            pool.append(py3_pickle("c" * (size - 60), 4))
        else:
            pool.append(py3_pickle("d" * (size - 60), 5))
    return pool


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    count = int(sys.argv[2])
    rng = random.Random(42)
    pool = value_pool(rng)
    prefixes = ["user", "session", "page", "feed", "cart", "search", "profile", "misc"]
    sock = socket.create_connection((host, int(port)))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    total = 0
    chunk = []
    for i in range(count):
        value = pool[i % len(pool)]
        key = "%s:%d" % (prefixes[i % len(prefixes)], i)
        chunk.append(b"set %s 1 0 %d noreply\r\n%s\r\n" % (key.encode(), len(value), value))
        total += len(value)
        if len(chunk) == 4096:
            sock.sendall(b"".join(chunk))
            chunk = []
    sock.sendall(b"".join(chunk) + b"version\r\n")
    reply = b""
    while not reply.endswith(b"\r\n"):
        data = sock.recv(4096)
        if not data:
            raise SystemExit("server closed the connection while loading")
        reply += data
    if not reply.startswith(b"VERSION"):
        raise SystemExit("unexpected reply after loading: %r" % reply[:200])
    print("loaded %d items, %d value bytes" % (count, total))


if __name__ == "__main__":
    main()

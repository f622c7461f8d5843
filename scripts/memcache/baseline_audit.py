#!/usr/bin/env python3
"""The Python way to do what `py2to3 memcache audit` does, for the benchmark's comparison.

Lists keys with `lru_crawler metadump all`, fetches values with pymemcache `get_many` in
batches, and walks each pickle's opcodes with `pickletools.genops` (counting protocol >= 3 and
py2 `str` opcodes), which is the least a Python auditor would have to do.

Usage: baseline_audit.py HOST:PORT [LIMIT]
Prints one line: `items=<n> seconds=<s> items_per_second=<r>`.
"""

import pickletools
import socket
import sys
import time
import urllib.parse

from pymemcache.client.base import Client

BATCH = 256


def metadump_keys(host, port, limit):
    sock = socket.create_connection((host, port))
    sock.sendall(b"lru_crawler metadump all\r\n")
    buf = b""
    n = 0
    while True:
        data = sock.recv(1 << 20)
        if not data:
            return
        buf += data
        lines = buf.split(b"\n")
        buf = lines.pop()
        for line in lines:
            if line.startswith(b"END"):
                return
            if line.startswith(b"key="):
                yield urllib.parse.unquote_to_bytes(line[4:].split(b" ", 1)[0]).decode("latin-1")
                n += 1
                if limit and n >= limit:
                    return


def main():
    host, port = sys.argv[1].rsplit(":", 1)
    port = int(port)
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    client = Client((host, port))
    start = time.time()
    items = 0
    py3_only = 0
    py2_str = 0
    batch = []

    def audit(values):
        nonlocal items, py3_only, py2_str
        for value in values.values():
            items += 1
            try:
                for opcode, arg, pos in pickletools.genops(value):
                    if opcode.name == "PROTO" and arg >= 3:
                        py3_only += 1
                    elif opcode.name in ("STRING", "BINSTRING", "SHORT_BINSTRING"):
                        py2_str += 1
            except Exception:
                # pickletools cannot even decode a protocol-0 str that is not ASCII.
                py2_str += 1

    for key in metadump_keys(host, port, limit):
        batch.append(key)
        if len(batch) == BATCH:
            audit(client.get_many(batch))
            batch = []
    if batch:
        audit(client.get_many(batch))
    seconds = time.time() - start
    print(
        "items=%d seconds=%.2f items_per_second=%.0f py3_only=%d py2_str_ops=%d"
        % (items, seconds, items / seconds if seconds else 0, py3_only, py2_str)
    )


if __name__ == "__main__":
    main()

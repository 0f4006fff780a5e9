#!/usr/bin/env python3
"""Sends crafted SYNs (python3-scapy) that imitate other stacks and scanning
tools, and sources with controlled IP-ID / ISN / TOS sequences.

usage: send_crafted_syns.py <dst> <src-prefix>   e.g. 10.77.0.1 10.77.0.
Each profile uses its own source address <src-prefix><n> (n from 10 up), which
must be routable back to this namespace (the caller adds them to its link).
Run it only inside a network namespace the test created.
"""
import random
import sys

from scapy.all import IP, TCP, conf, send  # type: ignore

conf.verb = 0
# Stacks pick a random ISN; a fixed seed keeps captures comparable run to run.
rng = random.Random(17)
dst, prefix = sys.argv[1], sys.argv[2]

MACOS = [("MSS", 1460), ("NOP", None), ("WScale", 6), ("NOP", None), ("NOP", None),
         ("Timestamp", (1000, 0)), ("SAckOK", b""), ("EOL", None)]
WIN10 = [("MSS", 1460), ("NOP", None), ("WScale", 8), ("NOP", None), ("NOP", None),
         ("SAckOK", b"")]
FREEBSD = [("MSS", 1460), ("NOP", None), ("WScale", 6), ("SAckOK", b""),
           ("Timestamp", (1000, 0))]
OPENBSD = [("MSS", 1460), ("NOP", None), ("NOP", None), ("SAckOK", b""), ("NOP", None),
           ("WScale", 6), ("NOP", None), ("NOP", None), ("Timestamp", (1000, 0))]

# name: (ip fields, tcp fields, count, ip-id(k), isn(k))
PROFILES = [
    ("win10", dict(ttl=128, flags="DF"), dict(window=64240, options=WIN10), 2, None, None),
    ("win7", dict(ttl=128, flags="DF"), dict(window=8192, options=WIN10), 1, None, None),
    ("macos", dict(ttl=64, flags="DF"), dict(window=65535, options=MACOS), 2, None, None),
    ("freebsd", dict(ttl=64, flags="DF"), dict(window=65535, options=FREEBSD), 1, None, None),
    ("openbsd", dict(ttl=64, flags="DF"), dict(window=16384, options=OPENBSD), 1, None, None),
    ("masscan", dict(ttl=255), dict(window=1024), 2, None, None),
    ("zmap", dict(ttl=255, id=54321), dict(window=65535), 2, None, None),
    ("scapy", dict(), dict(), 4, None, None),
    # Hand-rolled tooling: incremental IP-ID, constant ISN, TOS 0x2A (DSCP 10, ECN 2).
    ("seq", dict(ttl=64, tos=0x2A), dict(window=512), 6, lambda k: 1000 + k, lambda k: 7777),
    # Zero IP-ID, incremental ISN.
    ("zero", dict(ttl=64, id=0), dict(window=512), 6, None, lambda k: 5000 + 100 * k),
]

for n, (name, ip_fields, tcp_fields, count, ip_id, isn) in enumerate(PROFILES):
    src = f"{prefix}{10 + n}"
    for k in range(count):
        ip = dict(ip_fields)
        tcp = dict(tcp_fields)
        if ip_id:
            ip["id"] = ip_id(k)
        tcp["seq"] = isn(k) if isn else rng.getrandbits(32)
        if "id" not in ip and not ip_id:
            ip["id"] = rng.getrandbits(16)
        if name == "scapy":
            send(IP(src=src, dst=dst) / TCP(dport=80, flags="S"))
        else:
            send(IP(src=src, dst=dst, **ip) / TCP(sport=40000 + k, dport=80, flags="S", **tcp))

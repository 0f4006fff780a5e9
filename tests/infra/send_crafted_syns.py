#!/usr/bin/env python3
"""Sends crafted SYNs (python3-scapy): the one SYN crafter of the sniffer tests
(tests/infra/crafted_syns.ts runs it).

usage: send_crafted_syns.py profiles <dst> <src-prefix>   e.g. 10.77.0.1 10.77.0.
  SYNs that imitate other stacks and scanning tools, and sources with
  controlled IP-ID / ISN / TOS sequences. Each profile uses its own source
  address <src-prefix><n> (n from 10 up), which must be routable back to this
  namespace (the caller adds them to its link).
usage: send_crafted_syns.py sequence <dst> <count> <ip-id|random> <isn> <tos>
  <count> SYNs to port 80 from this namespace's address (window 1024, no
  options), ISN <isn> then +1 each, IP-ID fixed or random per SYN.
Run it only inside a network namespace the test created.
"""
import random
import sys

from scapy.all import IP, TCP, conf, send  # type: ignore

conf.verb = 0
# Stacks pick a random ISN; a fixed seed keeps captures comparable run to run.
rng = random.Random(17)
mode, dst = sys.argv[1], sys.argv[2]

if mode == "sequence":
    count, ip_id, first_isn, tos = int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
    send([IP(dst=dst, id=random.randrange(65536) if ip_id == "random" else int(ip_id), tos=tos) /
          TCP(sport=41000 + i, dport=80, flags="S", seq=first_isn + i, window=1024)
          for i in range(count)], inter=0.01)
    sys.exit(0)
if mode != "profiles":
    sys.exit(f"send_crafted_syns.py: unknown mode {mode!r}, expected profiles or sequence")
prefix = sys.argv[3]

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

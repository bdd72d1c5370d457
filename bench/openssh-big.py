#!/usr/bin/env python3
"""openssh-big.py - the benchmarks' large auth log: the OpenSSH sample
repeated, each copy shifted six hours later than the one before, until the
output holds SIZE_MB megabytes.

    python3 bench/openssh-big.py SAMPLE OUTPUT SIZE_MB
"""
import datetime
import sys

src, dst, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = [l.rstrip("\n") for l in open(src, encoding="utf-8", errors="replace") if l.strip()]
parsed = [(datetime.datetime.strptime("2025 " + l[:15], "%Y %b %d %H:%M:%S"), l[15:])
          for l in lines]


def stamp(t):  # syslog pads the day with a space: "Feb  3 06:55:46"
    return t.strftime("%b ") + "%2d" % t.day + t.strftime(" %H:%M:%S")


target = mb * 1024 * 1024
size, k = 0, 0
with open(dst, "w", encoding="utf-8") as out:
    while size < target:
        shift = datetime.timedelta(hours=6 * k)
        chunk = "".join(stamp(t + shift) + rest + "\n" for t, rest in parsed)
        out.write(chunk)
        size += len(chunk.encode())
        k += 1

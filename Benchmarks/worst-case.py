#!/usr/bin/env python3
"""Writes a worst case for faultline's memory: JSON lines that are every one a failure, with values drawn
from pools far larger than any cap (200,000 keys, 50,000 orgs, 100,000 projects, 5,000 models, endpoints
and hosts, 16 statuses, 3,000 codes, 50,000 messages, a new request ID per line), spread over 30 days so
every window of every group fills. The same size gives the same bytes.

Usage: Benchmarks/worst-case.py GIGABYTES OUTPUT
"""
import random
import sys

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
STATUSES = [400, 401, 402, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 504, 520, 529]


def token(length, seed):
    r = random.Random(repr(seed))
    return "".join(r.choice(LETTERS) for _ in range(length))


def main():
    target = int(float(sys.argv[1]) * 1e9)
    rnd = random.Random(7)
    keys = [token(40, ("k", i)) for i in range(200_000)]
    orgs = [token(24, ("o", i)) for i in range(50_000)]
    messages = [f"Upstream failure {i}: " + token(30, ("m", i)) for i in range(50_000)]
    start, span = 1_741_564_800_000, 30 * 86_400 * 1000
    lines = target // 430
    written = count = 0
    with open(sys.argv[2], "w", buffering=1 << 22) as out:
        while written < target:
            line = (
                '{"ts":%d,"request_id":"req_%032x","status":%d,"method":"POST","endpoint":"/v1/e%d",'
                '"model":"m-%d","org":"org-%s","project":"proj_%d","host":"gw-%d","latency_ms":%d,'
                '"headers":{"authorization":"Bearer sk-proj-%s"},'
                '"error":{"message":"%s","type":"t%d","code":"c%d"}}\n'
            ) % (
                start + count * span // lines, rnd.getrandbits(128), STATUSES[rnd.getrandbits(4)],
                rnd.randrange(5000), rnd.randrange(5000), orgs[rnd.randrange(50_000)], rnd.randrange(100_000),
                rnd.randrange(5000), rnd.randrange(100_000), keys[rnd.randrange(200_000)],
                messages[rnd.randrange(50_000)], rnd.randrange(300), rnd.randrange(3000),
            )
            out.write(line)
            written += len(line)
            count += 1
    print(f"{count} lines, {written} bytes")


if __name__ == "__main__":
    main()

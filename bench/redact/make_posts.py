#!/usr/bin/env python3
"""make_posts.py OUT.jsonl MB — typical posts as JSONL content records.

Real LinkedIn posts (shared/bench-data/corpus) with synthetic personal data
planted in about a third of them (e-mails, phones of several countries, card
numbers, IBANs, IPs, URLs, names, street addresses), repeated to MB megabytes.
Deterministic (seeded), standard library only.
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "..", "..", "shared", "bench-data", "corpus",
                      "linkedin_influencer_posts_content.txt")

FIRST = ["Amara", "Jonas", "Priya", "Chidi", "Sofia", "Liam", "Mei", "Olu", "Hannah", "Rahul"]
LAST = ["Okafor", "Schmidt", "Sharma", "Dubois", "Nguyen", "Smith", "Adeyemi", "Kowalski"]


def luhn_card(rng):
    d = [4] + [rng.randrange(10) for _ in range(14)]
    s = 0
    for i, x in enumerate(reversed(d)):
        y = x * 2 if i % 2 == 0 else x
        s += y - 9 if y > 9 else y
    d.append((10 - s % 10) % 10)
    t = "".join(map(str, d))
    return " ".join(t[i:i + 4] for i in range(0, 16, 4))


def pii(rng):
    f, l = rng.choice(FIRST), rng.choice(LAST)
    return rng.choice([
        f"{f.lower()}.{l.lower()}@example.com",
        f"+44 20 79{rng.randrange(10)}{rng.randrange(10)} {rng.randrange(1000, 9999)}",
        f"({rng.randrange(200, 999)}) {rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}",
        f"+49 30 {rng.randrange(1000000, 99999999)}",
        luhn_card(rng),
        "GB82 WEST 1234 5698 7654 32",
        f"192.168.{rng.randrange(256)}.{rng.randrange(256)}",
        f"https://example.org/u/{f.lower()}{rng.randrange(100)}",
        f"{f} {l}",
        f"{rng.randrange(1, 999)} Baker Street, London",
    ])


def main():
    out, mb = sys.argv[1], float(sys.argv[2])
    rng = random.Random(20240501)
    with open(CORPUS, encoding="utf-8") as fh:
        posts = [p.strip() for p in fh if p.strip()]
    target = int(mb * (1 << 20))
    n = 0
    with open(out, "w", encoding="utf-8") as fo:
        i = 0
        while n < target:
            text = posts[i % len(posts)]
            if rng.random() < 0.33:
                words = text.split(" ")
                at = rng.randrange(len(words) + 1)
                words.insert(at, pii(rng))
                text = " ".join(words)
            rec = {"id": f"p{i:08d}", "member": f"m{i % 5000:05d}", "kind": "post",
                   "created_at": "2024-05-01T12:00:00Z", "visibility": "public", "text": text}
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            fo.write(line)
            n += len(line.encode())
            i += 1


if __name__ == "__main__":
    main()

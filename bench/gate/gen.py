#!/usr/bin/env python3
"""Generates a platform for the gate benchmark and the oracle test.

usage: gen.py OUTDIR MEMBERS RECORDS [SEED]

Writes OUTDIR/facts.jsonl and OUTDIR/content.jsonl: members in ~30 countries
(about 40% in excluded jurisdictions), moves, setting toggles (some at equal
times), objections and withdrawals, deletions, closures, minors, a policy;
content of every kind and visibility, some by unknown members, some after T,
timestamps with offsets. Deterministic for a seed. Standard library only.
"""
import json, random, sys

EXCLUDED = "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE HU IS LI NO CH".split()
OTHER = "US GB IN NG CA BR AU JP SG ZA MX KE AR EG PH".split()
KINDS = ["post", "article", "comment", "message", "profile", "feedback", "ai_prompt"]
VIS = ["public", "connections", "private"]
WORDS = ("excited announce team hiring engineers grateful mentors launch product lessons "
         "learned leadership growth data cloud startup customers community event talk "
         "conference thanks congratulations new role journey remote culture").split()
BASE = 1704067200  # 2024-01-01T00:00:00Z


def ts(sec, offset_min=0):
    import datetime as dt
    tz = dt.timezone(dt.timedelta(minutes=offset_min))
    t = dt.datetime.fromtimestamp(sec, tz)
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    if offset_min == 0:
        return s + "Z"
    sign = "+" if offset_min > 0 else "-"
    m = abs(offset_min)
    return s + "%s%02d:%02d" % (sign, m // 60, m % 60)


def main():
    out, n_members, n_records = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    day = 86400
    fid = 0
    with open(out + "/facts.jsonl", "w") as f:
        f.write(json.dumps({"type": "policy", "version": "2024-01",
                            "purposes": ["genai_training", "personalization", "moderation"],
                            "published_at": ts(BASE), "effective_at": ts(BASE + 31 * day)}) + "\n")
        for i in range(n_members):
            mid = "m%07d" % i
            country = rng.choice(EXCLUDED) if rng.random() < 0.4 else rng.choice(OTHER)
            joined = BASE - 200 * day + rng.randrange(400 * day)
            rec = {"type": "member", "id": mid, "name": "Member %d" % i, "handle": "h%d" % i,
                   "email": "m%d@example.com" % i, "country": country,
                   "joined_at": ts(joined, rng.choice([0, 0, 60, -300]))}
            if rng.random() < 0.05:
                rec["birth_date"] = "%04d-%02d-%02d" % (2006 + rng.randrange(3), 1 + rng.randrange(12), 1 + rng.randrange(28))
            elif rng.random() < 0.5:
                rec["birth_date"] = "%04d-%02d-%02d" % (1960 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28))
            f.write(json.dumps(rec) + "\n")
            for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
                fid += 1
                kind = rng.random()
                at = joined + rng.randrange(300 * day)
                if kind < 0.35:
                    f.write(json.dumps({"type": "location", "id": "f%d" % fid, "member": mid,
                                        "country": rng.choice(EXCLUDED + OTHER), "at": ts(at)}) + "\n")
                elif kind < 0.75:
                    f.write(json.dumps({"type": "setting", "id": "f%d" % fid, "member": mid,
                                        "setting": "genai_training", "value": rng.random() < 0.3,
                                        "at": ts(at)}) + "\n")
                elif kind < 0.9:
                    o = {"type": "objection", "id": "f%d" % fid, "member": mid,
                         "purpose": rng.choice(["genai_training", "personalization", "moderation"]),
                         "at": ts(at)}
                    if rng.random() < 0.3:
                        o["withdrawn"] = True
                    f.write(json.dumps(o) + "\n")
                elif kind < 0.95:
                    f.write(json.dumps({"type": "account_closed", "id": "f%d" % fid, "member": mid,
                                        "at": ts(at)}) + "\n")
                else:
                    f.write(json.dumps({"type": "content_deleted", "id": "r%09d" % rng.randrange(max(n_records, 1)),
                                        "member": mid, "at": ts(at)}) + "\n")
    with open(out + "/content.jsonl", "w") as f:
        for r in range(n_records):
            m = rng.randrange(int(n_members * 1.02) + 1)
            words = rng.randrange(20, 120)
            text = " ".join(rng.choice(WORDS) for _ in range(words))
            if rng.random() < 0.1:
                text += ' "quoted" \u00e9t\u00e9 \\ back\nslash'
            rec = {"id": "r%09d" % r, "member": "m%07d" % m, "kind": rng.choice(KINDS),
                   "created_at": ts(BASE - 100 * day + rng.randrange(400 * day), rng.choice([0, 0, 120])),
                   "visibility": rng.choice(VIS), "text": text}
            f.write(json.dumps(rec, ensure_ascii=rng.random() < 0.5) + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The gate, written independently in Python's standard library.

usage: baseline.py FACTS.jsonl CONTENT.jsonl PURPOSE AS_OF INCLUDED_OUT DECISIONS_OUT

It is both the benchmark's baseline (the same join: facts as of T, then every
content record decided) and the oracle the end-to-end test compares
consentry's decisions with, so it follows DESIGN.md's rules literally and
shares no code with consentry. Facts apply in file order (the ingest order).
Prints a JSON summary on stdout. Importable: load_facts, covered and
reason_for are what bench/dataset/pipeline.py uses.
"""
import bisect, datetime as dt, json, sys, time

EEA_CH = set("AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE HU IS LI NO CH".split())
ALL_KINDS = {"post", "article", "comment", "message", "profile", "feedback", "ai_prompt"}
PURPOSES = {
    "genai_training": {"kinds": {"post", "article", "comment", "profile"}, "vis": {"public", "connections"},
                       "rule": lambda c: "excluded" if c is None or c in EEA_CH else "opt_out"},
    "personalization": {"kinds": ALL_KINDS - {"message"}, "vis": {"public", "connections", "private"},
                        "rule": lambda c: "excluded" if c is None else "allowed"},
    "moderation": {"kinds": ALL_KINDS - {"message"}, "vis": {"public", "connections", "private"},
                   "rule": lambda c: "excluded" if c is None else "allowed"},
}
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def ns(s):
    t = dt.datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
    return (t - EPOCH) // dt.timedelta(microseconds=1) * 1000


def day_of(t_ns):
    return t_ns // (86400 * 10**9)


def adult_day(birth):
    y, m, d = (int(x) for x in birth.split("-"))
    y += 18
    if m == 2 and d == 29 and not (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)):
        m, d = 3, 1
    return (dt.date(y, m, d) - dt.date(1970, 1, 1)).days


class Member:
    __slots__ = ("joined", "adult", "moves", "closed", "setting", "objections")

    def __init__(self):
        self.moves, self.closed, self.setting, self.objections = [], None, None, {}


def load_facts(path, T):
    members, deleted, policies = {}, set(), []
    with open(path, "rb") as f:
        for seq, line in enumerate(f):
            if not line.strip():
                continue
            x = json.loads(line)
            t = x["type"]
            if t == "policy":
                policies.append((ns(x["effective_at"]), x["purposes"]))
                continue
            if t == "member":
                if x["id"] in members:
                    continue
                m = members[x["id"]] = Member()
                m.joined = ns(x["joined_at"])
                m.adult = adult_day(x["birth_date"]) if x.get("birth_date") else None
                m.moves.append((m.joined, seq, x["country"]))
                continue
            at = ns(x["at"])
            if at > T:
                continue
            if t == "content_deleted":
                deleted.add(x["id"])
                continue
            m = members[x["member"]]
            if t == "location":
                m.moves.append((at, seq, x["country"]))
            elif t == "account_closed":
                m.closed = at if m.closed is None else min(m.closed, at)
            elif t == "setting":
                if m.setting is None or (at, seq) >= m.setting[:2]:
                    m.setting = (at, seq, x["value"])
            elif t == "objection":
                prev = m.objections.get(x["purpose"])
                if prev is None or (at, seq) >= prev[:2]:
                    m.objections[x["purpose"]] = (at, seq, not x.get("withdrawn", False))
    for m in members.values():
        m.moves.sort()
    return members, deleted, policies


def country_at(m, t):
    i = bisect.bisect_right(m.moves, (t, float("inf"), "")) - 1
    return m.moves[i][2] if i >= 0 and m.moves[i][0] <= t else None


def decide(r, m, deleted, p, T):
    created = ns(r["created_at"])
    if created > T:
        return "FUTURE_RECORD"
    if m is None or m.joined > T:
        return "UNKNOWN_MEMBER"
    if m.closed is not None:
        return "ACCOUNT_CLOSED"
    if r["id"] in deleted:
        return "DELETED"
    if r["kind"] not in p["kinds"]:
        return "KIND"
    if r["visibility"] not in p["vis"]:
        return "VISIBILITY"
    rule = p["rule"](country_at(m, T))
    if rule == "excluded":
        return "JURISDICTION"
    if p["rule"](country_at(m, created)) == "excluded":
        return "JURISDICTION_AT_CREATION"
    if m.adult is not None and day_of(created) < m.adult:
        return "MINOR"
    setting = None if m.setting is None else m.setting[2]
    if rule == "opt_out" and setting is False:
        return "OPTED_OUT"
    if rule == "opt_in" and setting is not True:
        return "NOT_OPTED_IN"
    return None


def covered(policies, purpose, T):
    """Whether a policy version listing purpose is effective at T."""
    return any(eff <= T and purpose in ps for eff, ps in policies)


def reason_for(r, members, deleted, purpose, T):
    """The decision for one parsed content record: "INCLUDED" or the first failing reason."""
    m = members.get(r["member"])
    reason = decide(r, m, deleted, PURPOSES[purpose], T)
    if reason is None and m is not None:
        o = m.objections.get(purpose)
        reason = "OBJECTED" if o is not None and o[2] else "INCLUDED"
    return reason


def main():
    facts, content, purpose, as_of, inc_path, dec_path = sys.argv[1:7]
    T = ns(as_of)
    start = time.time()
    members, deleted, policies = load_facts(facts, T)
    loaded = time.time()
    if not covered(policies, purpose, T):
        print("refused: no policy covering %s at %s" % (purpose, as_of), file=sys.stderr)
        sys.exit(3)
    PURPOSES[purpose]  # an unknown purpose fails here, before any output file is created
    counts, n_bytes = {}, 0
    with open(content, "rb") as f, open(inc_path, "wb") as inc, open(dec_path, "w") as dec:
        for line in f:
            n_bytes += len(line)
            if not line.strip():
                continue
            r = json.loads(line)
            reason = reason_for(r, members, deleted, purpose, T)
            counts[reason] = counts.get(reason, 0) + 1
            if reason == "INCLUDED":
                inc.write(line if line.endswith(b"\n") else line + b"\n")
            dec.write(json.dumps({"id": r["id"], "member": r["member"],
                                  "included": reason == "INCLUDED", "reason": reason},
                                 separators=(",", ":"), ensure_ascii=False) + "\n")
    end = time.time()
    print(json.dumps({"records": sum(counts.values()), "reasons": counts, "bytes": n_bytes,
                      "load_seconds": loaded - start, "gate_seconds": end - loaded}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""pipeline.py — `consentry dataset build` in Python's standard library only.

usage: pipeline.py FACTS.jsonl CONTENT.jsonl PURPOSE AS_OF OUT_DIR --tokenizer TOKENIZER_DIR
                   [--shards S] [--val-permille N]

The baseline of bench/dataset/run.sh: the same steps, in the same order, as
consentry's dataset build, each reusing the project's independent Python
baselines rather than anything of consentry's:
  1. gate      facts as of T (bench/gate/baseline.py: load_facts, covered,
               reason_for), every record decided, decisions.jsonl written;
  2. redact    included text through bench/redact/baseline.py's `re` patterns
               (when the purpose requires redaction);
  3. de-dup    exact duplicates dropped by SHA-256 of the redacted text;
               survivors staged to staging.jsonl with their member's shard and
               added to the Merkle tree of (record id, content hash);
  4. tokenize  bench/tokenizer/baseline.py's BPE encoder (pieces + bpe, with a
               chunk cache kept across records), <|endoftext|> after each
               record, appended to the member's shard;
  5. write     uint16 shards in llm.c's layout (int32[256] header: 20240520,
               1, token count), one *.idx.jsonl line per document, and
               manifest.json with every file's SHA-256 and the Merkle root.
The tokenizer is LOADED from TOKENIZER_DIR/tokenizer.json (the one consentry
trained on the same gated text), not trained: baseline.py's naive trainer
would take hours on tens of MB. Python is spared the training time; consentry
is not (it trains its own inside the timed build).

Members go to shard SHA-256(member)[:8] mod S and to validation when
SHA-256("validate" + member)[:8] mod 1000 < N (consentry uses XXH3, which the
standard library lacks): the same rule, different hash, so shard contents
differ from consentry's while the gate decisions and counts by reason are
identical. Redaction differs in detail (consentry also redacts the ledger's
member names), so duplicates, records and tokens may differ slightly.

Prints a JSON summary on stdout (records_in, reasons, duplicates, ...).
"""
import argparse
import array
import hashlib
import importlib.util
import json
import os
import shutil
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)


def _load(name, rel):
    """Imports a sibling benchmark's baseline.py under a unique module name."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(BENCH, rel))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


gate = _load("gate_baseline", "gate/baseline.py")
red = _load("redact_baseline", "redact/baseline.py")
tok = _load("tokenizer_baseline", "tokenizer/baseline.py")

REASONS = ["INCLUDED", "FUTURE_RECORD", "UNKNOWN_MEMBER", "ACCOUNT_CLOSED", "DELETED", "KIND",
           "VISIBILITY", "JURISDICTION", "JURISDICTION_AT_CREATION", "MINOR", "OPTED_OUT",
           "NOT_OPTED_IN", "OBJECTED"]
REDACTS = {"genai_training"}  # purposes whose redaction column says "required"
EOT = 256
SHARD_MAGIC, SHARD_VERSION = 20240520, 1
PLACEHOLDERS = ["<%s>" % k for k, _ in red.PATTERNS]
CACHE_MAX = 1 << 20  # chunk -> tokens entries kept before the cache is cleared


def dumps(x):
    return json.dumps(x, separators=(",", ":"), ensure_ascii=False)


def time_str(t_ns):
    """RFC 3339 UTC, as consentry writes times (fraction only when non-zero)."""
    secs, frac = divmod(t_ns, 10**9)
    days, rem = divmod(secs, 86400)
    d = gate.dt.date(1970, 1, 1) + gate.dt.timedelta(days=days)
    s = "%04d-%02d-%02dT%02d:%02d:%02d" % (d.year, d.month, d.day, rem // 3600, rem // 60 % 60, rem % 60)
    if frac:
        s += "." + ("%09d" % frac).rstrip("0")
    return s + "Z"


def member_hash(seed, member):
    return int.from_bytes(hashlib.sha256(seed + member.encode("utf-8")).digest()[:8], "little")


class Merkle:
    """Streaming Merkle root over (record id, content hash), as merkle.h defines it."""

    def __init__(self):
        self.n, self.level = 0, {}

    def add(self, record_id, content_hash):
        h = hashlib.sha256(b"\0" + record_id.encode("utf-8") + b"\0" + content_hash).digest()
        k = 0
        while self.n & (1 << k):
            h = hashlib.sha256(b"\1" + self.level[k] + h).digest()
            k += 1
        self.level[k] = h
        self.n += 1

    def root(self):
        if self.n == 0:
            return hashlib.sha256(b"").hexdigest()
        acc = None
        for k in range(64):
            if self.n & (1 << k):
                acc = self.level[k] if acc is None else hashlib.sha256(b"\1" + self.level[k] + acc).digest()
        return acc.hex()


class ShardWriter:
    """uint16 tokens after a 256 x int32 header patched with the count at the end."""

    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(bytes(1024))
        self.count = 0

    def write(self, ids):
        a = array.array("H", ids)
        if sys.byteorder != "little":
            a.byteswap()
        self.f.write(a.tobytes())
        self.count += len(ids)

    def close(self):
        self.f.seek(0)
        self.f.write(struct.pack("<256i", SHARD_MAGIC, SHARD_VERSION, self.count, *([0] * 253)))
        self.f.close()


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def gate_pass(a, out, s):
    """Gate, redact, de-duplicate, stage. Returns {member: [shard, records]} (shard -1: val)."""
    T = gate.ns(a.as_of)
    members, deleted, policies = gate.load_facts(a.facts, T)
    if not gate.covered(policies, a.purpose, T):
        sys.exit("refused: no policy covering %s at %s" % (a.purpose, a.as_of))
    redact = a.purpose in REDACTS
    seen, who, merkle = set(), {}, Merkle()
    reasons = s["reasons"]
    with open(a.content, "rb") as f, open(os.path.join(out, "decisions.jsonl"), "w", encoding="utf-8") as dec, \
            open(os.path.join(out, "staging.jsonl"), "w", encoding="utf-8") as stg:
        for line in f:
            s["bytes_in"] += len(line)
            if not line.strip():
                continue
            r = json.loads(line)
            reason = gate.reason_for(r, members, deleted, a.purpose, T)
            s["records_in"] += 1
            reasons[reason] += 1
            if reason == "INCLUDED":
                text = r.get("text") or ""
                if redact and text:
                    before = sum(text.count(p) for p in PLACEHOLDERS)
                    text = red.redact(text)
                    s["redactions"] += sum(text.count(p) for p in PLACEHOLDERS) - before
                h = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
                if h in seen:
                    s["duplicates"] += 1
                    reason = "DUPLICATE"
                else:
                    seen.add(h)
                    m = r["member"]
                    w = who.get(m)
                    if w is None:
                        val = member_hash(b"validate", m) % 1000 < a.val_permille
                        w = who[m] = [-1 if val else member_hash(b"", m) % a.shards, 0]
                    w[1] += 1
                    merkle.add(r["id"], h)
                    stg.write(dumps({"record": r["id"], "member": m, "shard": w[0],
                                     "created_at": time_str(gate.ns(r["created_at"])),
                                     "kind": r["kind"], "visibility": r["visibility"],
                                     "text": text}) + "\n")
            dec.write(dumps({"id": r["id"], "member": r["member"],
                             "included": reason == "INCLUDED", "reason": reason}) + "\n")
    s["merkle_root"] = merkle.root()
    return who


def token_pass(a, out, ranks, n_shards, shards):
    """Encodes every staged record into its shard and writes the index lines."""
    names = ["train_%03d" % k for k in range(n_shards)] + ["val"]
    writers = [ShardWriter(os.path.join(out, n + ".bin")) for n in names]
    idx = [open(os.path.join(out, n + ".idx.jsonl"), "w", encoding="utf-8") for n in names]
    cache, pieces, bpe = {}, tok.pieces, tok.bpe
    with open(os.path.join(out, "staging.jsonl"), "rb") as f:
        for seq, line in enumerate(f):
            r = json.loads(line)
            k = n_shards if r["shard"] < 0 else r["shard"]
            ids = []
            for chunk, sid in pieces(r["text"].encode("utf-8", "surrogatepass")):
                if sid is not None:
                    ids.append(sid)
                else:
                    ids.extend(bpe(chunk, ranks, cache))
            ids.append(EOT)
            if len(cache) > CACHE_MAX:
                cache.clear()
            offset = writers[k].count
            writers[k].write(ids)
            idx[k].write('{"seq":%d,"record":%s,"member":%s,"created_at":"%s","kind":"%s",'
                         '"visibility":"%s","offset":%d,"tokens":%d}\n'
                         % (seq, dumps(r["record"]), dumps(r["member"]), r["created_at"], r["kind"],
                            r["visibility"], offset, len(ids)))
            shards[k]["records"] += 1
            shards[k]["tokens"] += len(ids)
    for w, i in zip(writers, idx):
        w.close()
        i.close()
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("facts")
    ap.add_argument("content")
    ap.add_argument("purpose")
    ap.add_argument("as_of")
    ap.add_argument("out")
    ap.add_argument("--tokenizer", required=True, help="directory holding tokenizer.json")
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--val-permille", type=int, default=50)
    a = ap.parse_args()
    if os.path.exists(a.out):
        sys.exit("%s: already exists" % a.out)
    t0 = time.monotonic()
    tmp = a.out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.join(tmp, "tokenizer"))
    s = {"records_in": 0, "reasons": dict.fromkeys(REASONS, 0), "duplicates": 0, "redactions": 0,
         "bytes_in": 0}
    who = gate_pass(a, tmp, s)
    t1 = time.monotonic()
    shutil.copyfile(os.path.join(a.tokenizer, "tokenizer.json"), os.path.join(tmp, "tokenizer", "tokenizer.json"))
    ranks = tok.load_merges(os.path.join(tmp, "tokenizer"))
    shards = [{"records": 0, "members": 0, "tokens": 0} for _ in range(a.shards + 1)]
    for shard, _ in who.values():
        shards[a.shards if shard < 0 else shard]["members"] += 1
    names = token_pass(a, tmp, ranks, a.shards, shards)
    os.remove(os.path.join(tmp, "staging.jsonl"))
    t2 = time.monotonic()
    s["records"] = sum(x["records"] for x in shards)
    s["members"] = len(who)
    s["tokens"] = sum(x["tokens"] for x in shards)
    s["val_records"], s["val_members"] = shards[-1]["records"], shards[-1]["members"]
    with open(os.path.join(tmp, "tokenizer", "tokenizer.json"), "rb") as f:
        vocab = json.load(f)["vocab_size"]
    man = {"format": "consentry-dataset/1", "tool": "bench/dataset/pipeline.py", "purpose": a.purpose,
           "as_of": time_str(gate.ns(a.as_of)), "tokenizer": "given", "vocab": vocab,
           "redaction": a.purpose in REDACTS,
           "options": {"shards": a.shards, "val_permille": a.val_permille},
           "counts": {k: s[k] for k in ("records_in", "reasons", "duplicates", "redactions", "records",
                                        "members", "tokens", "val_records", "val_members")},
           "shards": [{"split": "val" if n == "val" else "train",
                       "file": n + ".bin", "file_sha256": sha256_file(os.path.join(tmp, n + ".bin")),
                       "index": n + ".idx.jsonl",
                       "index_sha256": sha256_file(os.path.join(tmp, n + ".idx.jsonl")), **c}
                      for n, c in zip(names, shards)],
           "decisions": "decisions.jsonl",
           "decisions_sha256": sha256_file(os.path.join(tmp, "decisions.jsonl")),
           "tokenizer_file": "tokenizer/tokenizer.json",
           "tokenizer_file_sha256": sha256_file(os.path.join(tmp, "tokenizer", "tokenizer.json")),
           "merkle_root": s["merkle_root"]}
    text = dumps(man) + "\n"
    with open(os.path.join(tmp, "manifest.json"), "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, a.out)
    t3 = time.monotonic()
    s["id"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    s["seconds"] = {"gate_redact_dedup": round(t1 - t0, 3), "tokenize": round(t2 - t1, 3),
                    "manifest": round(t3 - t2, 3), "total": round(t3 - t0, 3)}
    print(dumps(s))


if __name__ == "__main__":
    main()

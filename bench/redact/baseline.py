#!/usr/bin/env python3
"""baseline.py — the same redaction with Python's standard-library `re`.

JSONL on stdin, JSONL on stdout, "text" redacted: e-mails, URLs, IPv4/IPv6,
cards (Luhn), IBANs (mod 97), SSNs, NINOs, phones (digit counts), street
addresses and names from the same given-name/surname lists consentry uses
(data/names), found as capitalised runs. A fair, simple equivalent of
consentry's patterns: the benchmark compares engines, not cleverness.
"""
import ipaddress
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = os.path.join(HERE, "..", "..", "data", "names")


def load(name):
    with open(os.path.join(NAMES, name), encoding="utf-8") as f:
        return {w.strip() for w in f if w.strip()}


GIVEN = load("given.txt")
SUR = load("surnames.txt")

PATTERNS = [
    ("EMAIL", re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}")),
    ("URL", re.compile(r"\b(?:https?|ftp)://[^\s<>\"']+|\bwww\.[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+\S*", re.I)),
    ("IBAN", re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")),
    ("CREDIT_CARD", re.compile(r"\b\d(?:[ \-]?\d){11,18}\b")),
    ("SSN", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    ("NINO", re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")),
    ("IP", re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b|\b(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}\b")),
    ("PHONE", re.compile(r"(?:\+\d|\(\d|\b\d)[\d \-./()]{5,24}\d\b")),
    ("ADDRESS", re.compile(r"\b\d{1,6} (?:[A-Z][\w'-]* ){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Court|Ct|Way|Place|Pl)\b\.?")),
    ("PERSON", re.compile(r"\b[A-Z][a-z\u00c0-\u024f'\-]+(?: [A-Z][a-z\u00c0-\u024f'\-]+){0,3}\b")),
]


def luhn(s):
    d = [int(c) for c in s if c.isdigit()]
    t = 0
    for i, x in enumerate(reversed(d)):
        y = x * 2 if i % 2 else x
        t += y - 9 if y > 9 else y
    return t % 10 == 0


def iban_ok(s):
    s = s.replace(" ", "")
    r = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in r)) % 97 == 1


def valid(kind, v):
    if kind == "CREDIT_CARD":
        return luhn(v)
    if kind == "IBAN":
        return iban_ok(v)
    if kind == "IP":
        try:
            ipaddress.ip_address(v)
            return True
        except ValueError:
            return False
    if kind == "PHONE":
        n = sum(c.isdigit() for c in v)
        return 7 <= n <= 15
    if kind == "PERSON":
        toks = v.lower().split()
        return toks[0] in GIVEN and (len(toks) > 1 or True) and all(t in GIVEN or t in SUR for t in toks[1:])
    return True


def redact(text):
    spans = []
    for kind, rx in PATTERNS:
        for m in rx.finditer(text):
            if valid(kind, m.group()):
                spans.append((m.start(), m.end(), kind))
    spans.sort()
    out, pos = [], 0
    for s, e, k in spans:
        if s < pos:
            continue
        out.append(text[pos:s])
        out.append("<" + k + ">")
        pos = e
    out.append(text[pos:])
    return "".join(out)


def main():
    w = sys.stdout.write
    for line in sys.stdin:
        rec = json.loads(line)
        t = rec.get("text")
        if isinstance(t, str) and t:
            rec["text"] = redact(t)
        w(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

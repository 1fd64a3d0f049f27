#!/usr/bin/env python3
"""baseline.py — the consentry tokenizer in plain Python (standard library only).

An independent implementation of docs/TOKENIZER.md, used two ways:
  - as the speed baseline of bench/tokenizer/run.sh (encode MB/s), and
  - as an oracle: its tokens, and the merges its naive trainer learns, must
    equal consentry's exactly (tests/e2e/tokenizer_oracle.sh).

usage: baseline.py encode TOKENIZER_DIR FILE [OUT_IDS]   prints MB/s; ids to OUT_IDS
       baseline.py train VOCAB FILE OUT_MERGES           naive BPE, one "a b" per line
"""
import json
import sys
import time

MAX_CHUNK = 256
FIRST_MERGE = 267
PLACEHOLDERS = ["<EMAIL>", "<PHONE>", "<URL>", "<IP>", "<CREDIT_CARD>", "<IBAN>",
                "<SSN>", "<NINO>", "<PERSON>", "<ADDRESS>"]
LETTER, DIGIT, SPACE, PUNCT = range(4)
WS = b" \t\n\v\f\r"


def cp_class(cp):
    if cp <= 0xBF:
        return PUNCT
    if 0x2000 <= cp <= 0x2BFF or 0x3000 <= cp <= 0x303F or 0xFE00 <= cp <= 0xFE0F or cp >= 0x1F000:
        return PUNCT
    return LETTER


def unit(b, i, end):
    """(class, length) of the code point at b[i]."""
    c = b[i]
    if c < 0x80:
        if c in WS:
            return SPACE, 1
        if 48 <= c <= 57:
            return DIGIT, 1
        if 65 <= c <= 90 or 97 <= c <= 122:
            return LETTER, 1
        return PUNCT, 1

    def cont(k):
        return i + k < end and (b[i + k] & 0xC0) == 0x80
    if 0xC2 <= c <= 0xDF and cont(1):
        return cp_class((c & 0x1F) << 6 | (b[i + 1] & 0x3F)), 2
    if 0xE0 <= c <= 0xEF and cont(1) and cont(2):
        cp = (c & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | (b[i + 2] & 0x3F)
        if cp < 0x800 or 0xD800 <= cp <= 0xDFFF:
            return PUNCT, 1
        return cp_class(cp), 3
    if 0xF0 <= c <= 0xF4 and cont(1) and cont(2) and cont(3):
        cp = ((c & 7) << 18 | (b[i + 1] & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6
              | (b[i + 3] & 0x3F))
        if cp < 0x10000 or cp > 0x10FFFF:
            return PUNCT, 1
        return cp_class(cp), 4
    return PUNCT, 1


def chunk_len(b, i, end):
    if b[i] == 0x27 and end - i >= 2:  # '
        a = b[i + 1]
        n = b[i + 2] if end - i >= 3 else 0
        if a in b"stmd":
            return 2
        if (a, n) in ((0x72, 0x65), (0x76, 0x65), (0x6C, 0x6C)):  # re ve ll
            return 3
    cls, ul = unit(b, i, end)
    lead = 0
    if cls == SPACE:
        n = 0
        while i + n < end and n <= MAX_CHUNK and b[i + n] in WS:
            n += 1
        if n > MAX_CHUNK:
            return MAX_CHUNK
        if i + n == end:
            return n
        if n >= 2:
            return n - 1
        if b[i] != 0x20:
            return 1
        lead = 1
        cls, ul = unit(b, i + 1, end)
    n = lead
    while i + n < end:
        c2, ul = unit(b, i + n, end)
        if c2 != cls or n + ul > MAX_CHUNK:
            break
        n += ul
    return n


def pieces(b):
    """Yields (chunk bytes, None) or (None, special id) in order."""
    i, end = 0, len(b)
    while i < end:
        seg_end, sid, slen = end, None, 0
        j = b.find(b"<", i)
        while j != -1:
            for k, ph in enumerate(PLACEHOLDERS):
                if b.startswith(ph.encode(), j):
                    seg_end, sid, slen = j, 257 + k, len(ph)
                    break
            if sid is not None:
                break
            j = b.find(b"<", j + 1)
        while i < seg_end:
            n = chunk_len(b, i, seg_end)
            yield b[i:i + n], None
            i += n
        if sid is not None:
            yield None, sid
            i += slen


def load_merges(tok_dir):
    with open(tok_dir + "/tokenizer.json", "rb") as f:
        doc = json.load(f)
    return {(a, b): r for r, (a, b) in enumerate(doc["merges"])}


def bpe(chunk, ranks, cache):
    got = cache.get(chunk)
    if got is not None:
        return got
    sym = list(chunk)
    while len(sym) > 1:
        best, best_rank = -1, None
        for i in range(len(sym) - 1):
            r = ranks.get((sym[i], sym[i + 1]))
            if r is not None and (best_rank is None or r < best_rank):
                best, best_rank = i, r
        if best < 0:
            break
        sym[best:best + 2] = [FIRST_MERGE + best_rank]
    cache[chunk] = sym
    return sym


def encode(data, ranks):
    out, cache = [], {}
    for chunk, sid in pieces(data):
        if sid is not None:
            out.append(sid)
        else:
            out.extend(bpe(chunk, ranks, cache))
    return out


def train(vocab, data):
    """Naive BPE: recount every pair each round. Slow, obviously right."""
    counts = {}
    for chunk, sid in pieces(data):
        if sid is None:
            counts[chunk] = counts.get(chunk, 0) + 1
    words = [[list(w), c] for w, c in counts.items() if len(w) >= 2]
    merges = []
    while FIRST_MERGE + len(merges) < vocab:
        pairs = {}
        for sym, c in words:
            for i in range(len(sym) - 1):
                p = (sym[i], sym[i + 1])
                pairs[p] = pairs.get(p, 0) + c
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        if pairs[best] < 2:
            break
        m = FIRST_MERGE + len(merges)
        merges.append(best)
        for w in words:
            sym, out, i = w[0], [], 0
            while i < len(sym):
                if i + 1 < len(sym) and (sym[i], sym[i + 1]) == best:
                    out.append(m)
                    i += 2
                else:
                    out.append(sym[i])
                    i += 1
            w[0] = out
    return merges


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "encode":
        ranks = load_merges(sys.argv[2])
        with open(sys.argv[3], "rb") as f:
            data = f.read()
        t0 = time.perf_counter()
        ids = encode(data, ranks)
        secs = time.perf_counter() - t0
        print("%.3f MB/s %d tokens %.3f s" % (len(data) / secs / 1e6, len(ids), secs))
        if len(sys.argv) >= 5:
            with open(sys.argv[4], "w") as f:
                f.write(" ".join(map(str, ids)) + "\n")
    elif len(sys.argv) == 5 and sys.argv[1] == "train":
        with open(sys.argv[3], "rb") as f:
            data = f.read()
        with open(sys.argv[4], "w") as f:
            for a, b in train(int(sys.argv[2]), data):
                f.write("%d %d\n" % (a, b))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Durability of `consentry serve`: no acknowledged change is ever lost.

Each round starts the server, lets several client threads toggle their own
member's genai_training setting as fast as the server answers, SIGKILLs the
server at a random moment, and then checks the ledger file directly:

  * every acknowledged change (member, value, seq) is in member_facts with
    that seq, member and value;
  * each member's last setting is their last acknowledged one, or the one
    change that was in flight when the server died (committed but not yet
    answered) -- at most one such unacknowledged row per member;
  * `consentry consent show` agrees with that final value.

Usage: serve_durability.py BIN WORKDIR [--rounds N] [--clients K] [--seed S]
Prints "lost: 0 of N acknowledged" and exits non-zero on any loss.
"""
import argparse
import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time


def start_server(binary, db, workdir):
    port_file = os.path.join(workdir, "dur.port")
    if os.path.exists(port_file):
        os.unlink(port_file)
    err = open(os.path.join(workdir, "dur.err"), "ab")
    proc = subprocess.Popen([binary, "serve", "--db", db, "--port", "0", "--port-file", port_file,
                             "--rate-limit", "0"], stdout=subprocess.DEVNULL, stderr=err)
    err.close()
    deadline = time.time() + 60
    while time.time() < deadline:
        if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
            return proc, int(open(port_file).read())
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    proc.kill()
    sys.exit("server did not start; see dur.err")


def client(port, member, token, start_value, acks, stop):
    value = start_value
    conn = None
    while not stop.is_set():
        value = not value
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("PUT", "/api/me/settings/genai_training",
                         body=json.dumps({"value": value}),
                         headers={"Authorization": "Bearer " + token,
                                  "Content-Type": "application/json"})
            resp = conn.getresponse()
            body = resp.read()
        except (OSError, http.client.HTTPException):
            return  # the server died: this change is unacknowledged
        if resp.status != 200:
            acks.append(("error", member, resp.status, body))
            return
        ans = json.loads(body)
        if ans["value"] != value:
            acks.append(("error", member, "answered value", ans))
            return
        acks.append((member, value, ans["seq"]))


def check(binary, db, members, acks, settled):
    errors = [a for a in acks if a[0] == "error"]
    good = [a for a in acks if a[0] != "error"]
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    lost = 0
    for member, value, seq in good:
        row = con.execute("SELECT member, value FROM member_facts WHERE seq = ? AND type = 3",
                          (seq,)).fetchone()
        if row != (member, int(value)):
            lost += 1
            if lost <= 5:
                print("LOST: %s value=%s seq=%s, ledger has %r" % (member, value, seq, row))
    problems = []
    for member in members:
        mine = [a for a in good if a[0] == member]
        # rows up to `settled` were checked in earlier rounds
        last_seq = max([a[2] for a in mine] + [settled.get(member, 0)])
        rows = con.execute("SELECT value, seq FROM member_facts WHERE member = ? AND type = 3"
                           " ORDER BY at, seq", (member,)).fetchall()
        after = [r for r in rows if r[1] > last_seq]
        if len(after) > 1:
            problems.append("%s: %d unacknowledged changes after seq %d" % (member, len(after), last_seq))
        final = rows[-1][0] if rows else None
        if rows:
            settled[member] = rows[-1][1]
        if not after and mine and last_seq == mine[-1][2] and final != int(mine[-1][1]):
            problems.append("%s: final value %r, last acknowledged %r" % (member, final, mine[-1][1]))
        shown = json.loads(subprocess.run([binary, "consent", "show", member, "--db", db, "--json"],
                                          check=True, capture_output=True).stdout)
        sv = shown["settings"]["genai_training"]["value"]
        if final is not None and sv != bool(final):
            problems.append("%s: consent show says %r, ledger's last row %r" % (member, sv, final))
    con.close()
    return lost, len(good), errors, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("workdir")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--max-run", type=float, default=1.5, help="longest run before the kill (s)")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    db = os.path.join(a.workdir, "durability.db")
    members = ["d%02d" % i for i in range(a.clients)]
    facts = os.path.join(a.workdir, "dur_facts.jsonl")
    with open(facts, "w") as f:
        for i, m in enumerate(members):
            f.write(json.dumps({"type": "member", "id": m, "name": "Member %d" % i, "handle": m,
                                "email": m + "@example.com", "country": "US" if i % 2 else "NG",
                                "joined_at": "2024-01-01T00:00:00Z"}) + "\n")
    subprocess.run([a.binary, "ledger", "ingest", facts, "--db", db], check=True,
                   stdout=subprocess.DEVNULL)
    tokens = {m: subprocess.run([a.binary, "member", "token", m, "--db", db], check=True,
                                capture_output=True, text=True).stdout.strip() for m in members}
    total_lost = total_acked = 0
    last_value = {m: True for m in members}
    settled = {}
    for rnd in range(a.rounds):
        proc, port = start_server(a.binary, db, a.workdir)
        acks, stop = [], threading.Event()
        threads = [threading.Thread(target=client, args=(port, m, tokens[m], last_value[m], acks, stop))
                   for m in members]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.05, a.max_run))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stop.set()
        for t in threads:
            t.join()
        lost, acked, errors, problems = check(a.binary, db, members, acks, settled)
        total_lost += lost
        total_acked += acked
        for e in errors[:5]:
            print("ERROR:", e)
        for p in problems:
            print("PROBLEM:", p)
        if errors or problems:
            print("round %d failed" % (rnd + 1))
            print("lost: %d of %d acknowledged" % (total_lost, total_acked))
            return 1
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        for m in members:  # the next round toggles on from what the ledger holds
            row = con.execute("SELECT value FROM member_facts WHERE member = ? AND type = 3"
                              " ORDER BY at DESC, seq DESC LIMIT 1", (m,)).fetchone()
            if row:
                last_value[m] = bool(row[0])
        con.close()
        print("round %d: %d acknowledged, killed after the last, all present" % (rnd + 1, acked))
    print("lost: %d of %d acknowledged" % (total_lost, total_acked))
    return 1 if total_lost or total_acked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())

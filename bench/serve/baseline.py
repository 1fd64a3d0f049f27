#!/usr/bin/env python3
"""A minimal baseline for bench/serve: GET /api/me and PUT of the setting
with Python's stdlib http.server (threaded) and sqlite3, one commit per PUT.

It reads the same ledger file consentry serves (token hash -> member,
member's country, last setting) and writes setting rows the same shape as
consentry's (member_facts, type 3, a fresh seq), with synchronous=FULL and
WAL, so a PUT here is as durable as one there. It answers only what the
benchmark asks; it is not a reimplementation of the rules.

Usage: baseline.py LEDGER PORT
"""
import hashlib
import json
import sqlite3
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DB = sys.argv[1]
local = threading.local()
write_lock = threading.Lock()


def db():
    if not hasattr(local, "con"):
        con = sqlite3.connect(DB, isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("PRAGMA busy_timeout=5000")
        local.con = con
    return local.con


def member_of(handler):
    auth = handler.headers.get("Authorization", "")
    if not auth.startswith("Bearer "):
        return None
    h = hashlib.sha256(auth[7:].strip().encode()).digest()
    row = db().execute("SELECT member FROM member_tokens WHERE hash = ? AND revoked_at IS NULL",
                       (h,)).fetchone()
    return row[0] if row else None


def setting(member):
    con = db()
    country = con.execute("SELECT country FROM member_facts WHERE member = ? AND type IN (1, 2)"
                          " ORDER BY at DESC, seq DESC LIMIT 1", (member,)).fetchone()
    row = con.execute("SELECT value FROM member_facts WHERE member = ? AND type = 3"
                      " ORDER BY at DESC, seq DESC LIMIT 1", (member,)).fetchone()
    return (country[0] if country else None), (bool(row[0]) if row else True)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        m = member_of(self)
        if self.path != "/api/me":
            return self.answer(404, {"error": "no such route"})
        if not m:
            return self.answer(401, {"error": "unknown token"})
        country, value = setting(m)
        self.answer(200, {"member": m, "jurisdiction": country,
                          "settings": {"genai_training": {"value": value}}})

    def do_PUT(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(n) or b"{}")
        m = member_of(self)
        if not m:
            return self.answer(401, {"error": "unknown token"})
        value = body.get("value")
        if not isinstance(value, bool):
            return self.answer(400, {"error": "value: expected true or false"})
        con = db()
        with write_lock:
            con.execute("BEGIN IMMEDIATE")
            seq = con.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0] + 1
            con.execute("INSERT INTO member_facts(member, at, seq, type, name, value)"
                        " VALUES(?, ?, ?, 3, 'genai_training', ?)",
                        (m, time.time_ns(), seq, int(value)))
            con.execute("UPDATE meta SET value = ? WHERE key = 'seq'", (seq,))
            con.execute("COMMIT")
        self.answer(200, {"value": value, "seq": seq})


ThreadingHTTPServer.daemon_threads = True
srv = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Handler)
print("listening on http://127.0.0.1:%d" % srv.server_address[1], flush=True)
srv.serve_forever()

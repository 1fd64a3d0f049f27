#!/usr/bin/env node
// mock_server.js — a stand-in for `consentry serve` (docs/API.md), Node
// standard library only, state in memory. It serves web/ and the member
// routes so the page can be developed and checked without the C server:
//
//   node tests/web/mock_server.js [--port 0] [--model]
//
// It prints one line `listening on http://127.0.0.1:PORT` and then serves.
// Members and tokens (fixed): tok-us → m-us (US, opt-out), tok-de → m-de
// (DE, excluded), tok-br → m-br (BR, opt-out, with usage rows), tok-sg → m-sg
// (SG, as if configured "allowed": no setting, objection only). --model makes
// assist_available true and /api/assist answer. The REQUIRED browser test
// runs against the real binary (run.sh); this is for fast page iteration.
'use strict';

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const args = process.argv.slice(2);
const argVal = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const PORT = Number(argVal('--port', '0'));
const MODEL = args.includes('--model');
const WEB = path.resolve(__dirname, '..', '..', 'web');

const EXCLUDED = new Set(('AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE ' +
  'IS LI NO CH').split(' '));
const members = {
  'm-us': { country: 'US', setting: null, objections: {} },
  'm-de': { country: 'DE', setting: null, objections: {} },
  'm-br': { country: 'BR', setting: null, objections: {} },
  // As if a purposes config made Singapore "allowed" (no setting applies).
  'm-sg': { country: 'SG', setting: null, objections: {}, rule: 'allowed' },
};
const tokens = { 'tok-us': 'm-us', 'tok-de': 'm-de', 'tok-br': 'm-br', 'tok-sg': 'm-sg' };
const sessions = new Map(); // sid -> {member, csrf}

function setting(id) {
  const m = members[id];
  const rule = m.rule || (EXCLUDED.has(m.country) ? 'excluded' : 'opt_out');
  if (rule === 'allowed') {
    return {
      value: false, offered: false, jurisdiction: m.country, rule,
      explanation: `In ${m.country} this use does not depend on the setting; an objection excludes your data.`,
    };
  }
  if (rule === 'excluded') {
    return {
      value: false, offered: false, jurisdiction: m.country, rule,
      explanation: `Generative AI training does not use member data from ${m.country}; there is nothing to choose.`,
    };
  }
  return {
    value: m.setting === null ? true : m.setting, offered: true, jurisdiction: m.country, rule,
    explanation: 'On by default where you are. Turning it off keeps all your content, old and new, out of every later training set.',
  };
}

function objections(id) {
  const out = {};
  for (const p of ['genai_training', 'personalization', 'moderation']) {
    const o = members[id].objections[p];
    out[p] = o ? { objected: o.objected, reason: o.reason || null, at: o.at } : { objected: false, reason: null, at: null };
  }
  return out;
}

function send(res, status, body, headers = {}) {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, Object.assign({
    'Content-Type': 'application/json; charset=utf-8', 'Content-Length': data.length, 'Cache-Control': 'no-store',
  }, headers));
  res.end(data);
}
const err = (res, status, msg) => send(res, status, { error: msg });

function cookieSid(req) {
  const m = /(?:^|;\s*)cs_session=([^;]+)/.exec(req.headers.cookie || '');
  return m ? m[1] : null;
}

// Returns {member, viaCookie} or null (401 sent).
function auth(req, res) {
  const h = req.headers.authorization || '';
  if (h.startsWith('Bearer ')) {
    const m = tokens[h.slice(7)];
    if (!m) { err(res, 401, 'wrong token'); return null; }
    return { member: m, viaCookie: false };
  }
  const sid = cookieSid(req);
  const s = sid && sessions.get(sid);
  if (!s) { err(res, 401, 'not signed in'); return null; }
  if (req.method !== 'GET' && req.headers['x-csrf-token'] !== s.csrf) {
    err(res, 403, 'missing or wrong X-CSRF-Token');
    return null;
  }
  return { member: s.member, viaCookie: true, sid };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let n = 0;
    req.on('data', (c) => {
      n += c.length;
      if (n > 65536) reject(new Error('too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
async function jsonBody(req, res) {
  const text = await readBody(req);
  if (!text) return {};
  try {
    const v = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v;
  } catch (e) {
    err(res, 400, 'malformed JSON');
    return undefined;
  }
}

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };

function serveAsset(req, res, p) {
  const rel = p === '/' ? 'index.html' : p.slice(1);
  const file = path.join(WEB, rel);
  if (!file.startsWith(WEB + path.sep) || !MIME[path.extname(file)] || !fs.existsSync(file)) {
    return err(res, 404, 'not found');
  }
  const data = fs.readFileSync(file);
  res.writeHead(200, { 'Content-Type': MIME[path.extname(file)], 'Content-Length': data.length,
    'Content-Security-Policy': "default-src 'self'" });
  res.end(data);
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://x');
  const p = url.pathname;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

  if (p === '/api/session') {
    if (req.method === 'POST') {
      const b = await jsonBody(req, res);
      if (b === undefined) return;
      const m = typeof b.token === 'string' && tokens[b.token];
      if (!m) return err(res, 401, 'wrong token');
      const sid = crypto.randomBytes(16).toString('hex');
      const csrf = crypto.randomBytes(16).toString('hex');
      sessions.set(sid, { member: m, csrf });
      return send(res, 200, { member: m, csrf },
        { 'Set-Cookie': `cs_session=${sid}; HttpOnly; SameSite=Strict; Path=/` });
    }
    if (req.method === 'GET') {
      const sid = cookieSid(req);
      const s = sid && sessions.get(sid);
      if (!s) return err(res, 401, 'not signed in');
      return send(res, 200, { member: s.member, csrf: s.csrf });
    }
    if (req.method === 'DELETE') {
      const a = auth(req, res);
      if (!a) return;
      if (a.sid) sessions.delete(a.sid);
      return send(res, 200, { signed_out: true },
        { 'Set-Cookie': 'cs_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0' });
    }
    return err(res, 405, 'method not allowed');
  }

  if (p === '/api/me') {
    if (req.method !== 'GET') return err(res, 405, 'method not allowed');
    const a = auth(req, res);
    if (!a) return;
    return send(res, 200, {
      member: a.member, jurisdiction: members[a.member].country, status: 'active', assist_available: MODEL,
      settings: { genai_training: setting(a.member) }, objections: objections(a.member),
    });
  }

  if (p === '/api/me/settings/genai_training') {
    const a = auth(req, res);
    if (!a) return;
    if (req.method === 'GET') return send(res, 200, setting(a.member));
    if (req.method !== 'PUT') return err(res, 405, 'method not allowed');
    const b = await jsonBody(req, res);
    if (b === undefined) return;
    if (typeof b.value !== 'boolean') return err(res, 400, 'value: expected true or false');
    const s = setting(a.member);
    if (!s.offered) return err(res, 409, s.explanation);
    // Simulate the commit taking a moment, as the real group commit does.
    await new Promise((r) => setTimeout(r, 50));
    members[a.member].setting = b.value;
    return send(res, 200, setting(a.member));
  }

  let m = /^\/api\/me\/objections\/([^/]+)$/.exec(p);
  if (m) {
    const a = auth(req, res);
    if (!a) return;
    const purpose = decodeURIComponent(m[1]);
    if (!['genai_training', 'personalization', 'moderation'].includes(purpose)) {
      return err(res, 400, `unknown purpose ${purpose}`);
    }
    const obj = members[a.member].objections;
    if (req.method === 'POST') {
      const b = await jsonBody(req, res);
      if (b === undefined) return;
      if (b.reason !== undefined && b.reason !== null && typeof b.reason !== 'string') {
        return err(res, 400, 'reason: expected a string');
      }
      if (typeof b.reason === 'string' && [...b.reason].length > 1000) {
        return err(res, 400, 'reason: expected at most 1000 characters');
      }
      obj[purpose] = { objected: true, reason: b.reason || null, at: now };
      return send(res, 200, { purpose, objected: true, reason: b.reason || null, at: now });
    }
    if (req.method === 'DELETE') {
      obj[purpose] = { objected: false, reason: null, at: now };
      return send(res, 200, { purpose, objected: false, at: now });
    }
    return err(res, 405, 'method not allowed');
  }

  if (p === '/api/me/usage') {
    if (req.method !== 'GET') return err(res, 405, 'method not allowed');
    const a = auth(req, res);
    if (!a) return;
    const rich = a.member === 'm-br';
    return send(res, 200, {
      member: a.member,
      datasets: rich ? [{ id: 'ds-2024-09', purpose: 'genai_training', as_of: '2024-09-01T00:00:00Z',
        created: '2024-09-02T10:11:12Z', records: 14, shard: 3 }] : [],
      runs: rich ? [{ id: 'run-7', dataset: 'ds-2024-09', shards: [0, 1, 2, 3], created: '2024-09-03T08:00:00Z',
        steps: 2000, records: 14 }] : [],
    });
  }

  if (p === '/api/assist') {
    if (req.method !== 'POST') return err(res, 405, 'method not allowed');
    const a = auth(req, res);
    if (!a) return;
    const b = await jsonBody(req, res);
    if (b === undefined) return;
    if (!MODEL) return err(res, 503, 'no model is loaded');
    if (typeof b.prompt !== 'string') return err(res, 400, 'prompt: expected a string');
    return send(res, 200, { text: ' and I am thrilled to share what our team learned along the way.', model: 'mock' });
  }

  if (p.startsWith('/api/')) return err(res, 404, 'unknown route');
  if (req.method !== 'GET') return err(res, 405, 'method not allowed');
  return serveAsset(req, res, p);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    if (!res.headersSent) err(res, 500, String(e.message || e));
  });
});
server.listen(PORT, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

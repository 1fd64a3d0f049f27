// app.js — the member page of consentry: sign in, the generative-AI setting,
// the objection form, the usage report and the writing assistant.
// Plain JavaScript, no build step, no inline scripts (a strict CSP can apply).
// The contract is docs/API.md. A choice is shown as made only once the server
// has acknowledged it (it answers after the ledger commit), never before.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);

  const OBJECTION_PURPOSES = [
    {
      id: 'personalization',
      title: 'Personalization',
      noun: 'personalization',
      desc: 'Machine learning that ranks your feed, suggests people and jobs, and tailors what you see.',
    },
    {
      id: 'moderation',
      title: 'Moderation',
      noun: 'moderation',
      desc: 'Machine learning that helps find spam, scams and content that breaks the community rules.',
    },
  ];
  const REASON_MAX = 1000;

  // Session state lives in memory only. The session cookie is HttpOnly; the
  // CSRF token is recovered after a reload from GET /api/session.
  const state = { member: null, csrf: null, me: null };

  // ---- HTTP ---------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, 'The server could not be reached. Check your connection and try again.');
    }
    let data = null;
    const text = await res.text();
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = null;
      }
    }
    if (!res.ok) {
      const msg = (data && typeof data.error === 'string' && data.error) || `The server answered ${res.status}.`;
      throw new ApiError(res.status, msg);
    }
    return data;
  }

  // ---- Announcements ----------------------------------------------------

  let statusTimer = 0;
  function announce(msg) {
    const el = $('status');
    clearTimeout(statusTimer);
    // Clear first so that the same message twice is announced twice.
    el.textContent = '';
    requestAnimationFrame(() => {
      el.textContent = msg;
    });
    statusTimer = setTimeout(() => {
      el.textContent = '';
    }, 8000);
  }

  function showError(msg) {
    const el = $('error');
    el.textContent = msg;
    el.hidden = !msg;
  }

  function failed(what, err) {
    if (err instanceof ApiError && err.status === 401) {
      signedOut('Your session has ended. Please sign in again.');
      return;
    }
    showError(`${what} ${err.message}`);
  }

  // ---- Formatting -------------------------------------------------------

  const regionNames = typeof Intl.DisplayNames === 'function'
    ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;
  function countryName(code) {
    if (!code) return 'an unknown location';
    try {
      const name = regionNames && regionNames.of(code);
      return name && name !== code ? `${name} (${code})` : code;
    } catch (e) {
      return code;
    }
  }

  const dateFmt = new Intl.DateTimeFormat('en-GB', {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC',
    timeZoneName: 'short',
  });
  function timeEl(iso) {
    const t = document.createElement('time');
    if (!iso) {
      t.textContent = '—';
      return t;
    }
    t.dateTime = iso;
    const d = new Date(iso);
    t.textContent = Number.isNaN(d.getTime()) ? iso : dateFmt.format(d);
    return t;
  }

  // ---- Views ------------------------------------------------------------

  function show(view) {
    $('loading').hidden = true;
    $('signin').hidden = view !== 'signin';
    $('app').hidden = view !== 'app';
    $('account').hidden = view !== 'app';
  }

  function signedOut(message, keepFocus) {
    state.member = null;
    state.csrf = null;
    state.me = null;
    $('token').value = '';
    show('signin');
    showError(message || '');
    if (!keepFocus) $('signin-title').focus();
  }

  // ---- The generative-AI setting ---------------------------------------

  function renderSetting(s, objections) {
    const offered = !!(s && s.offered);
    $('genai-offered').hidden = !offered;
    $('genai-not-offered').hidden = offered;
    if (offered) {
      setSwitch(!!s.value);
      $('genai-explanation').textContent = s.explanation || (s.rule === 'opt_in'
        ? 'This setting is off unless you turn it on.'
        : 'This setting is on unless you turn it off.');
    } else if (s && s.rule === 'allowed') {
      // No setting applies here: the use does not depend on a switch, and
      // only an objection keeps the data out. Say so, and offer the objection.
      $('genai-not-offered-title').firstElementChild.textContent = 'There is no switch for this where you are.';
      $('genai-not-offered-text').textContent =
        `Where your profile location is, ${countryName(s.jurisdiction)}, this use of your data does not ` +
        'depend on a setting. If you do not want your data used to train content creation AI models, ' +
        'file an objection below.';
    } else {
      $('genai-not-offered-title').firstElementChild.textContent = 'This setting is not available where you are.';
      $('genai-not-offered-text').textContent = s && s.jurisdiction
        ? `Data protection law where your profile location is, ${countryName(s.jurisdiction)}, does not allow ` +
          'us to use your data to train content creation AI models, so we never do, and there is no switch ' +
          'to change. If your profile location changes, this page will tell you what applies then.'
        : 'We do not know your profile location, so we treat it like a place where the law does not allow ' +
          'us to use your data to train content creation AI models: we never do, and there is no switch ' +
          'to change. If you add your location, this page will tell you what applies there.';
    }
    if (!offered) {
      $('genai-not-offered-server').textContent = (s && s.explanation) || '';
      $('genai-not-offered-server').hidden = !(s && s.explanation);
    }
    const allowed = !offered && !!s && s.rule === 'allowed';
    $('genai-objection').hidden = !allowed;
    const gt = objections && objections.genai_training;
    $('genai-objected').hidden = !offered || !(gt && gt.objected);
  }

  function setSwitch(on) {
    const sw = $('genai-switch');
    sw.setAttribute('aria-checked', on ? 'true' : 'false');
    $('genai-state').textContent = on ? 'On' : 'Off';
  }

  let settingBusy = false;
  async function toggleSetting() {
    if (settingBusy) return;
    const sw = $('genai-switch');
    const want = sw.getAttribute('aria-checked') !== 'true';
    settingBusy = true;
    sw.setAttribute('aria-busy', 'true');
    sw.classList.add('busy');
    $('genai-pending').hidden = false;
    showError('');
    try {
      const s = await api('PUT', '/api/me/settings/genai_training', { value: want });
      if (state.me) state.me.settings = Object.assign({}, state.me.settings, { genai_training: s });
      renderSetting(s, state.me && state.me.objections);
      announce(`Saved. Use of your data for training content creation AI models is now ${s.value ? 'on' : 'off'}.`);
    } catch (err) {
      // The switch keeps the state the ledger holds: the change was not made.
      failed('Your choice was not saved.', err);
      if (err instanceof ApiError && err.status === 409) refresh();
    } finally {
      settingBusy = false;
      sw.removeAttribute('aria-busy');
      sw.classList.remove('busy');
      $('genai-pending').hidden = true;
    }
  }

  // ---- The objection form ----------------------------------------------

  // genai_training has an objection of its own, shown only where no setting
  // applies to it (rule "allowed"): there the objection is the only control.
  const GENAI_OBJECTION = {
    id: 'genai_training',
    title: 'Generative AI training',
    noun: 'generative AI training',
    desc: 'Training content creation AI models (the writing assistant) on what you write.',
  };

  function buildObjections() {
    const tpl = $('objection-template');
    for (const p of OBJECTION_PURPOSES.concat([GENAI_OBJECTION])) {
      const list = p === GENAI_OBJECTION ? $('genai-objection') : $('objection-list');
      const node = tpl.content.firstElementChild.cloneNode(true);
      node.id = `objection-${p.id}`;
      node.dataset.purpose = p.id;
      node.querySelector('legend').textContent = p.title;
      const desc = node.querySelector('.purpose-desc');
      desc.id = `objection-${p.id}-desc`;
      desc.textContent = p.desc;
      const st = node.querySelector('.objection-state');
      st.id = `objection-${p.id}-state`;
      const label = node.querySelector('label');
      const ta = node.querySelector('textarea');
      ta.id = `objection-${p.id}-reason`;
      label.htmlFor = ta.id;
      label.textContent = `Reason for objecting to ${p.noun} (optional)`;
      const counter = node.querySelector('.counter');
      counter.id = `objection-${p.id}-counter`;
      ta.setAttribute('aria-describedby', counter.id);
      const updateCounter = () => {
        counter.textContent = `${ta.value.length} of ${REASON_MAX} characters`;
      };
      ta.addEventListener('input', updateCounter);
      updateCounter();
      const file = node.querySelector('.file');
      file.id = `objection-${p.id}-file`;
      file.textContent = `File objection to ${p.noun}`;
      file.setAttribute('aria-describedby', desc.id);
      file.addEventListener('click', () => fileObjection(p, node));
      const withdraw = node.querySelector('.withdraw');
      withdraw.id = `objection-${p.id}-withdraw`;
      withdraw.textContent = `Withdraw objection to ${p.noun}`;
      withdraw.addEventListener('click', () => withdrawObjection(p, node));
      list.appendChild(node);
    }
  }

  function renderObjection(p, o) {
    const node = $(`objection-${p.id}`);
    const objected = !!(o && o.objected);
    node.classList.toggle('objected', objected);
    const st = node.querySelector('.objection-state');
    st.textContent = '';
    const strong = document.createElement('strong');
    strong.textContent = objected ? 'Objection filed' : 'No objection';
    st.appendChild(strong);
    if (objected) {
      if (o.at) {
        st.append(' on ');
        st.appendChild(timeEl(o.at));
      }
      st.append('. Your data is not used for ' + p.noun + '.');
      if (o.reason) {
        st.append(' Your reason: “');
        const q = document.createElement('q');
        q.className = 'reason';
        q.textContent = o.reason;
        st.appendChild(q);
        st.append('”');
      }
    } else {
      st.append(`. Your data may be used for ${p.noun}.`);
    }
    node.querySelector('.reason-field').hidden = objected;
    node.querySelector('.file').hidden = objected;
    node.querySelector('.withdraw').hidden = !objected;
  }

  async function fileObjection(p, node) {
    const ta = node.querySelector('textarea');
    const reason = ta.value.trim();
    if (reason.length > REASON_MAX) {
      showError(`The reason is ${reason.length} characters long; at most ${REASON_MAX} are allowed.`);
      ta.focus();
      return;
    }
    const btn = node.querySelector('.file');
    btn.disabled = true;
    showError('');
    try {
      const body = reason ? { reason } : {};
      const o = await api('POST', `/api/me/objections/${p.id}`, body);
      if (state.me) state.me.objections = Object.assign({}, state.me.objections, { [p.id]: o });
      ta.value = '';
      ta.dispatchEvent(new Event('input'));
      renderObjection(p, o);
      announce(`Saved. Your objection to ${p.noun} is filed.`);
      node.querySelector('.withdraw').focus();
    } catch (err) {
      failed('Your objection was not filed.', err);
    } finally {
      btn.disabled = false;
    }
  }

  async function withdrawObjection(p, node) {
    const btn = node.querySelector('.withdraw');
    btn.disabled = true;
    showError('');
    try {
      const o = await api('DELETE', `/api/me/objections/${p.id}`);
      if (state.me) state.me.objections = Object.assign({}, state.me.objections, { [p.id]: o });
      renderObjection(p, o);
      announce(`Saved. Your objection to ${p.noun} is withdrawn.`);
      node.querySelector('.file').focus();
    } catch (err) {
      failed('Your objection was not withdrawn.', err);
    } finally {
      btn.disabled = false;
    }
  }

  // ---- Usage report -----------------------------------------------------

  function cell(tr, content, cls) {
    const td = document.createElement('td');
    if (cls) td.className = cls;
    if (content instanceof Node) td.appendChild(content);
    else td.textContent = content === undefined || content === null ? '—' : String(content);
    tr.appendChild(td);
  }

  // Datasets and runs are named by SHA-256 digests: show the first 12 hex
  // digits (like a short git hash), the whole id on hover.
  function idEl(id) {
    const c = document.createElement('code');
    if (id === undefined || id === null) {
      c.textContent = '—';
      return c;
    }
    const full = String(id);
    c.textContent = /^[0-9a-f]{20,}$/.test(full) ? full.slice(0, 12) : full;
    c.title = full;
    c.dataset.id = full;
    return c;
  }

  const PURPOSE_NAMES = {
    genai_training: 'Generative AI training',
    personalization: 'Personalization',
    moderation: 'Moderation',
  };

  function renderUsage(u) {
    const datasets = (u && Array.isArray(u.datasets)) ? u.datasets : [];
    const runs = (u && Array.isArray(u.runs)) ? u.runs : [];
    const dbody = $('datasets').tBodies[0];
    dbody.textContent = '';
    for (const d of datasets) {
      const tr = document.createElement('tr');
      cell(tr, idEl(d.id));
      cell(tr, PURPOSE_NAMES[d.purpose] || d.purpose);
      cell(tr, timeEl(d.as_of));
      cell(tr, timeEl(d.created));
      cell(tr, d.records, 'num');
      cell(tr, d.shard, 'num');
      dbody.appendChild(tr);
    }
    $('datasets-wrap').hidden = datasets.length === 0;
    $('datasets-empty').hidden = datasets.length !== 0;
    const rbody = $('runs').tBodies[0];
    rbody.textContent = '';
    for (const r of runs) {
      const tr = document.createElement('tr');
      cell(tr, idEl(r.id));
      cell(tr, idEl(r.dataset));
      cell(tr, Array.isArray(r.shards) ? r.shards.join(', ') : r.shards);
      cell(tr, timeEl(r.created));
      cell(tr, r.steps, 'num');
      cell(tr, r.records, 'num');
      rbody.appendChild(tr);
    }
    $('runs-wrap').hidden = runs.length === 0;
    $('runs-empty').hidden = runs.length !== 0;
  }

  async function loadUsage() {
    $('usage-error').hidden = true;
    try {
      renderUsage(await api('GET', '/api/me/usage'));
    } catch (err) {
      if (err.status === 401) return failed('', err);
      $('datasets-wrap').hidden = true;
      $('runs-wrap').hidden = true;
      $('usage-error').textContent = `The usage report could not be loaded. ${err.message}`;
      $('usage-error').hidden = false;
    }
  }

  // ---- Writing assistant ------------------------------------------------

  function renderAssist(available) {
    const btn = $('assist');
    // aria-disabled (not disabled) keeps the button focusable, so keyboard and
    // screen-reader users reach it and hear why it does nothing.
    btn.setAttribute('aria-disabled', available ? 'false' : 'true');
    $('assist-explanation').textContent = available
      ? 'The assistant suggests how to continue what you have written. Nothing is posted until you post it.'
      : 'AI suggestions are not available right now: no writing model is loaded on this server. ' +
        'You can still write your post yourself.';
  }

  let assistBusy = false;
  async function suggest() {
    const btn = $('assist');
    if (btn.getAttribute('aria-disabled') === 'true' || assistBusy) return;
    const prompt = $('post-text').value.trim();
    if (!prompt) {
      showError('Write a few words first; the assistant continues what you have written.');
      $('post-text').focus();
      return;
    }
    assistBusy = true;
    btn.setAttribute('aria-busy', 'true');
    showError('');
    announce('Asking the writing assistant…');
    try {
      const r = await api('POST', '/api/assist', { prompt, max_tokens: 80 });
      $('suggestion-text').textContent = r.text || '';
      $('suggestion-model').textContent = r.model ? `Suggested by model ${r.model}.` : '';
      $('suggestion').hidden = false;
      announce('A suggestion is ready.');
      $('suggestion-use').focus();
    } catch (err) {
      if (err.status === 503) renderAssist(false);
      failed('No suggestion.', err);
    } finally {
      assistBusy = false;
      btn.removeAttribute('aria-busy');
    }
  }

  function useSuggestion() {
    const ta = $('post-text');
    const s = $('suggestion-text').textContent;
    ta.value = ta.value.replace(/\s*$/, '') + (/^\s/.test(s) ? '' : ' ') + s;
    $('suggestion').hidden = true;
    ta.focus();
    announce('The suggestion was added to your post.');
  }

  // ---- Loading the member -----------------------------------------------

  function render(me) {
    state.me = me;
    state.member = me.member;
    $('member-id').textContent = me.member;
    renderSetting(me.settings && me.settings.genai_training, me.objections);
    for (const p of OBJECTION_PURPOSES.concat([GENAI_OBJECTION])) {
      renderObjection(p, me.objections && me.objections[p.id]);
    }
    renderAssist(!!me.assist_available);
  }

  async function refresh() {
    try {
      render(await api('GET', '/api/me'));
    } catch (err) {
      failed('The page could not be refreshed.', err);
    }
  }

  async function enter(focusTitle) {
    const me = await api('GET', '/api/me');
    render(me);
    show('app');
    loadUsage();
    if (focusTitle) $('app-title').focus();
  }

  // After a reload the cookie may still hold a session; GET /api/session
  // gives back its member and CSRF token (the page keeps the token only in
  // memory, and the cookie is HttpOnly).
  async function resume() {
    try {
      const s = await api('GET', '/api/session');
      state.csrf = s.csrf;
    } catch (err) {
      if (err.status === 401) return signedOut('', true);
      return signedOut(`Could not check your session. ${err.message}`, true);
    }
    try {
      await enter(false);
    } catch (err) {
      signedOut(err.status === 401 ? '' : `Could not load your settings. ${err.message}`, true);
    }
  }

  async function signIn(ev) {
    ev.preventDefault();
    const token = $('token').value.trim();
    if (!token) {
      showError('Enter your sign-in token.');
      $('token').setAttribute('aria-invalid', 'true');
      $('token').focus();
      return;
    }
    $('token').removeAttribute('aria-invalid');
    const btn = $('signin-submit');
    btn.disabled = true;
    showError('');
    try {
      const s = await api('POST', '/api/session', { token });
      state.csrf = s.csrf;
      $('token').value = '';
      await enter(true);
      announce(`Signed in as ${s.member}.`);
    } catch (err) {
      showError(err.status === 401 ? 'That sign-in token is not valid.' : `Could not sign in. ${err.message}`);
      $('token').setAttribute('aria-invalid', 'true');
      $('token').focus();
    } finally {
      btn.disabled = false;
    }
  }

  async function signOut() {
    try {
      await api('DELETE', '/api/session');
    } catch (err) {
      if (err.status !== 401) {
        showError(`Could not sign out. ${err.message}`);
        return;
      }
    }
    signedOut('');
    announce('You are signed out.');
  }

  function init() {
    buildObjections();
    $('signin-form').addEventListener('submit', signIn);
    $('signout').addEventListener('click', signOut);
    $('genai-switch').addEventListener('click', toggleSetting);
    $('assist').addEventListener('click', suggest);
    $('post-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      suggest();
    });
    $('suggestion-use').addEventListener('click', useSuggestion);
    $('suggestion-dismiss').addEventListener('click', () => {
      $('suggestion').hidden = true;
      $('assist').focus();
    });
    resume();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();

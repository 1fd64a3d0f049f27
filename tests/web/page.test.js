#!/usr/bin/env node
// page.test.js — browser test of the member page with playwright-core and
// Debian's chromium (no Playwright-downloaded browsers). Driven by run.sh,
// which prepares a ledger, issues tokens and starts `consentry serve`.
//
// Environment:
//   CS_WEB_URL        base URL of the server (http://127.0.0.1:PORT)
//   CS_OPTOUT_TOKEN   sign-in token of a member in an opt-out jurisdiction
//   CS_OPTOUT_MEMBER  that member's id
//   CS_EU_TOKEN       sign-in token of a member in an excluded jurisdiction (DE)
//   CS_EU_COUNTRY     its country name as the page shows it (default Germany)
//   CS_ARTIFACTS      folder for screenshots (created)
//   CS_BIN, CS_DB     optional: check the ledger with `consentry consent show`
//   CS_CHROMIUM       browser (default /usr/bin/chromium)
//   CS_EXPECT_USAGE   "1 dataset R records; 1 run S steps": the opt-out member's
//                     usage report (default: empty)
//   CS_ASSIST         "on": the server has a model; check the suggestion flow
//                     instead of the disabled button; "only": sign in and
//                     check just the suggestion flow (default "off")
// Exit 0 when every check holds; 1 with the failing check named otherwise.
'use strict';

const { chromium } = require('playwright-core');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const env = (k, d) => {
  const v = process.env[k];
  if (v === undefined || v === '') {
    if (d === undefined) throw new Error(`${k} is not set`);
    return d;
  }
  return v;
};
const BASE = env('CS_WEB_URL');
const OPTOUT_TOKEN = env('CS_OPTOUT_TOKEN');
const OPTOUT_MEMBER = env('CS_OPTOUT_MEMBER');
const EU_TOKEN = env('CS_EU_TOKEN');
const EU_COUNTRY = env('CS_EU_COUNTRY', 'Germany');
const ARTIFACTS = path.resolve(env('CS_ARTIFACTS', 'test-artifacts/web'));
const BIN = process.env.CS_BIN || '';
const DB = process.env.CS_DB || '';
const CHROMIUM = env('CS_CHROMIUM', '/usr/bin/chromium');
const ASSIST = ['on', 'only'].includes(env('CS_ASSIST', 'off'));
const ASSIST_ONLY = env('CS_ASSIST', 'off') === 'only';
// "1 dataset 2 records; 1 run 2 steps": what the opt-out member's usage report
// must list (one dataset and one run); unset: the report must be empty.
const USAGE = /^1 dataset (\d+) records; 1 run (\d+) steps$/.exec(env('CS_EXPECT_USAGE', 'none'));

const SWITCH_NAME = 'Use my data for training content creation AI models';
let checks = 0;
let step = '';

class CheckFailed extends Error {}
function check(cond, what) {
  checks += 1;
  if (!cond) throw new CheckFailed(`${step}: ${what}`);
}

// Polls fn until it returns a truthy value (or timeout): the page answers
// asynchronously, after the server has committed.
async function until(fn, what, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) {
        checks += 1;
        return last;
      }
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new CheckFailed(`${step}: ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// Every control the accessibility tree exposes must have a name, and the
// page must have one main landmark and one visible h1.
async function checkAccessibility(page, where) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  const controls = new Set(['button', 'switch', 'textbox', 'checkbox', 'link', 'combobox', 'radio', 'slider',
    'spinbutton', 'searchbox', 'listbox', 'menuitem', 'tab']);
  const seen = {};
  const nameless = [];
  for (const n of nodes) {
    if (n.ignored) continue;
    const role = n.role && n.role.value;
    if (!controls.has(role)) continue;
    seen[role] = (seen[role] || 0) + 1;
    const name = n.name && typeof n.name.value === 'string' ? n.name.value.trim() : '';
    if (!name) nameless.push(role);
  }
  check(nameless.length === 0, `${where}: controls without an accessible name: ${nameless.join(', ')}`);
  check(Object.keys(seen).length > 0, `${where}: the accessibility tree shows no controls at all`);
  check(await page.locator('main').count() === 1, `${where}: one <main> landmark`);
  check(await page.locator('h1:visible').count() === 1, `${where}: exactly one visible h1`);
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, textarea, select')]
    .filter((el) => el.offsetParent !== null && el.labels.length === 0 && !el.getAttribute('aria-label'))
    .map((el) => el.id || el.name || el.tagName));
  check(unlabelled.length === 0, `${where}: form fields without a <label>: ${unlabelled.join(', ')}`);
}

function consentShow(member) {
  if (!BIN || !DB) return null;
  const out = execFileSync(BIN, ['consent', 'show', member, '--json', '--db', DB], { encoding: 'utf8' });
  return out;
}

async function signIn(page, token) {
  await page.getByLabel('Sign-in token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await until(() => page.getByRole('heading', { level: 1, name: 'Settings' }).isVisible(), 'the settings page appears after sign-in');
}

// With a model loaded: the button is enabled, a suggestion appears, and
// "Add to my post" (reached by keyboard) appends it to what was written.
async function checkSuggestionFlow(page, assistCalls) {
  step = 'the assistant suggests a continuation';
  const assist = page.getByRole('button', { name: 'Suggest with AI' });
  check(await assist.getAttribute('aria-disabled') === 'false', 'the suggest button is enabled when a model is loaded');
  const post = page.getByLabel('What do you want to talk about?');
  await post.fill('Excited to announce');
  await assist.click();
  await until(() => page.locator('#suggestion').isVisible(), 'a suggestion appears');
  check(assistCalls.length === 1, `one request to /api/assist (got ${assistCalls.length})`);
  const suggestion = (await page.locator('#suggestion-text').textContent()).trim();
  check(suggestion.length > 0, 'the suggestion has text');
  check(await page.evaluate(() => document.activeElement.id === 'suggestion-use'), 'focus moves to "Add to my post"');
  await page.keyboard.press('Enter');
  // A text box keeps no carriage returns or NULs; compare what it can hold.
  const norm = (x) => x.replace(/\r\n?/g, '\n').replace(/\0/g, '').trim();
  await until(async () => norm(await post.inputValue()).includes(norm(suggestion)),
    `the suggestion is added to the post (suggestion ${JSON.stringify(suggestion)})`);
  check((await post.inputValue()).startsWith('Excited to announce'), 'what the member wrote is kept');
  await page.locator('#post').scrollIntoViewIfNeeded();
  await shot(page, '07-assist-suggestion');
}

async function main() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const assistCalls = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/assist') assistCalls.push(r.method());
  });

  try {
    if (ASSIST_ONLY) {
      step = 'open the page (server with a model)';
      await page.goto(BASE + '/');
      await until(() => page.getByRole('heading', { level: 1, name: 'Sign in' }).isVisible(), 'the sign-in form shows');
      await signIn(page, OPTOUT_TOKEN);
      await checkSuggestionFlow(page, assistCalls);
      await checkAccessibility(page, 'settings (with a suggestion)');
      check(pageErrors.length === 0, `no script errors on the page: ${pageErrors.join(' | ')}`);
      console.log(`web/playwright (assistant): ${checks} checks passed; screenshots in ${ARTIFACTS}`);
      return 0;
    }
    step = 'open the page';
    const resp = await page.goto(BASE + '/');
    check(resp && resp.status() === 200, `GET / answers 200 (got ${resp && resp.status()})`);
    await until(() => page.getByRole('heading', { level: 1, name: 'Sign in' }).isVisible(), 'the sign-in form shows');
    await checkAccessibility(page, 'sign-in');
    await shot(page, '01-sign-in');

    step = 'a wrong token is refused';
    await page.getByLabel('Sign-in token').fill('not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await until(async () => /not valid/i.test(await page.getByRole('alert').textContent()), 'an alert says the token is not valid');
    check(await page.getByLabel('Sign-in token').getAttribute('aria-invalid') === 'true', 'the token field is marked invalid');
    check(!(await page.locator('#app').isVisible()), 'the settings stay hidden');

    step = 'sign in as the opt-out member';
    await signIn(page, OPTOUT_TOKEN);
    check((await page.locator('#member-id').textContent()) === OPTOUT_MEMBER, 'the header names the member');
    const sw = page.getByRole('switch', { name: SWITCH_NAME });
    await until(() => sw.isVisible(), 'the switch is shown');
    check(await sw.getAttribute('aria-checked') === 'true', 'the switch is on by default (opt-out jurisdiction)');
    check(await page.getByRole('heading', { name: 'Data for Generative AI Improvement' }).isVisible(), 'the section is titled "Data for Generative AI Improvement"');
    check(await page.getByRole('heading', { name: 'Data Processing Objection Form' }).isVisible(), 'the objection form is shown');
    check((await page.locator('#genai-explanation').textContent()).trim().length > 0, 'the setting carries an explanation');
    if (USAGE) {
      const drows = page.locator('#datasets tbody tr');
      await until(async () => await drows.count() === 1, 'the usage report lists one dataset');
      const dcells = await drows.first().locator('td').allTextContents();
      check(dcells[1] === 'Generative AI training', `the dataset's purpose is named: ${dcells}`);
      check(dcells[4] === USAGE[1], `the dataset holds ${USAGE[1]} of the member's records: ${dcells}`);
      const rrows = page.locator('#runs tbody tr');
      check(await rrows.count() === 1, 'the usage report lists one training run');
      const rcells = await rrows.first().locator('td').allTextContents();
      const dsId = await drows.first().locator('td code').first().getAttribute('data-id');
      const runDs = await rrows.first().locator('td code').nth(1).getAttribute('data-id');
      check(dsId && runDs === dsId, `the run names its dataset: ${runDs} vs ${dsId}`);
      check(rcells[4] === USAGE[2], `the run's steps are shown: ${rcells}`);
      check(await page.getByRole('table', { name: 'Datasets' }).isVisible(), 'the datasets table is named by its heading');
      check(!(await page.getByText(/None of your data is in any training dataset/).isVisible()), 'no empty-state text beside the rows');
    } else {
      await until(() => page.getByText(/None of your data is in any training dataset/).isVisible(), 'the usage report shows its empty state');
    }
    await checkAccessibility(page, 'settings (opt-out member)');
    let ledger = consentShow(OPTOUT_MEMBER);
    if (ledger !== null) check(/"genai_training":\{"allowed":true/.test(ledger), `the ledger allows genai_training before the change: ${ledger}`);
    await shot(page, '02-opt-out-member-default-on');

    step = 'a change the server does not acknowledge is not shown as made';
    await page.route('**/api/me/settings/genai_training', (route) => route.fulfill({
      status: 503, contentType: 'application/json', body: '{"error":"the ledger is busy"}',
    }));
    await sw.click();
    await until(async () => /not saved/i.test(await page.getByRole('alert').textContent()), 'an alert says the choice was not saved');
    check(await sw.getAttribute('aria-checked') === 'true', 'the switch still shows on after a failed save');
    await page.unroute('**/api/me/settings/genai_training');
    await shot(page, '03-failed-save-keeps-state');

    step = 'keyboard: Tab to the switch and turn it off with Space';
    await page.locator('#app-title').focus();
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement && document.activeElement.id === 'genai-switch');
    }
    check(reached, 'Tab reaches the switch');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    check(outline !== 'none', `the focused switch shows a focus outline (outline-style ${outline})`);
    await shot(page, '04-switch-focused');
    await page.keyboard.press('Space');
    await until(async () => await sw.getAttribute('aria-checked') === 'false', 'the switch turns off after the server acknowledges');
    await until(async () => /Saved/.test(await page.getByRole('status').textContent()), 'the status region says Saved');
    check(!(await page.getByRole('alert').isVisible()), 'no error is shown after a good save');
    await shot(page, '05-switched-off');

    step = 'reload: the switch is still off';
    await page.reload();
    await until(() => page.getByRole('heading', { level: 1, name: 'Settings' }).isVisible(), 'the session survives a reload');
    await until(() => sw.isVisible(), 'the switch is shown after reload');
    check(await sw.getAttribute('aria-checked') === 'false', 'the switch is off after reload');
    ledger = consentShow(OPTOUT_MEMBER);
    if (ledger !== null) {
      check(/"settings":\{"genai_training":\{"value":false/.test(ledger), `the ledger holds the setting off: ${ledger}`);
      check(/"genai_training":\{"allowed":false,"reason":"OPTED_OUT"/.test(ledger), `the ledger records the opt-out: ${ledger}`);
    }

    step = 'file an objection to personalization';
    const reason = 'I prefer a chronological feed.';
    await page.getByLabel('Reason for objecting to personalization (optional)').fill(reason);
    await page.getByRole('button', { name: 'File objection to personalization' }).click();
    const pState = page.locator('#objection-personalization-state');
    await until(async () => /Objection filed/.test(await pState.textContent()), 'the objection shows as filed');
    check((await pState.textContent()).includes(reason), 'the reason is shown');
    check(await page.getByRole('button', { name: 'Withdraw objection to personalization' }).isVisible(), 'a withdraw button is offered');
    check(/No objection/.test(await page.locator('#objection-moderation-state').textContent()), 'moderation stays without objection');
    await until(async () => /objection to personalization is filed/.test(await page.getByRole('status').textContent()), 'the status region says the objection is filed');

    step = 'reload: the objection is still filed';
    await page.reload();
    await until(async () => /Objection filed/.test(await pState.textContent()), 'the objection shows as filed after reload');
    check((await pState.textContent()).includes(reason), 'the reason is shown after reload');
    check(await sw.getAttribute('aria-checked') === 'false', 'the switch is still off');
    ledger = consentShow(OPTOUT_MEMBER);
    if (ledger !== null) check(/"personalization":\{"allowed":false,"reason":"OBJECTED"/.test(ledger), `the ledger records the objection: ${ledger}`);
    await shot(page, '06-objection-filed');

    if (ASSIST) {
      await checkSuggestionFlow(page, assistCalls);
    } else {
      step = 'the assistant is unavailable without a model, and says why';
      const assist = page.getByRole('button', { name: 'Suggest with AI' });
      check(await assist.isVisible(), 'the suggest button is shown');
      check(await assist.getAttribute('aria-disabled') === 'true', 'the suggest button is disabled');
      const why = await page.locator('#assist-explanation').textContent();
      check(/no writing model is loaded/.test(why), `the explanation says no model is loaded: ${why}`);
      check((await assist.getAttribute('aria-describedby') || '').split(/\s+/).includes('assist-explanation'), 'the button is described by the explanation');
      await page.getByLabel('What do you want to talk about?').fill('Excited to announce');
      // aria-disabled keeps it focusable: keyboard users reach it and hear why.
      await assist.focus();
      check(await page.evaluate(() => document.activeElement.id === 'assist'), 'the disabled suggest button can still take focus');
      await page.keyboard.press('Enter');
      await assist.click({ force: true });
      await page.waitForTimeout(200);
      check(assistCalls.length === 0, 'a disabled suggest button sends nothing');
      await page.locator('#post').scrollIntoViewIfNeeded();
      await shot(page, '07-assist-unavailable');
    }

    step = 'a phone-sized window: the page reflows';
    await page.setViewportSize({ width: 360, height: 800 });
    await page.waitForTimeout(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `no sideways scrolling at 360 px (${overflow} px too wide)`);
    check(await sw.isVisible(), 'the switch is still shown');
    await shot(page, '07b-narrow-window');
    await page.setViewportSize({ width: 1000, height: 900 });

    step = 'changes need the CSRF token';
    const noCsrf = await page.evaluate(async () => (await fetch('/api/me/settings/genai_training', {
      method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"value":true}',
    })).status);
    check(noCsrf === 403, `a PUT with the cookie but without X-CSRF-Token is refused with 403 (got ${noCsrf})`);
    check(await sw.getAttribute('aria-checked') === 'false', 'the switch is still off');

    step = 'sign out';
    await page.getByRole('button', { name: 'Sign out' }).click();
    await until(() => page.getByRole('heading', { level: 1, name: 'Sign in' }).isVisible(), 'the sign-in form shows after sign-out');
    const after = await page.evaluate(async () => (await fetch('/api/me')).status);
    check(after === 401, `the session is gone on the server (GET /api/me answered ${after})`);
    await page.reload();
    await until(() => page.getByRole('heading', { level: 1, name: 'Sign in' }).isVisible(), 'still signed out after reload');

    step = 'an EU member sees no switch';
    await signIn(page, EU_TOKEN);
    await until(() => page.getByText('This setting is not available where you are.').isVisible(), 'the page says the setting is not available');
    check(await page.getByRole('switch').count() === 0, 'no switch is shown');
    check(await page.locator('#genai-switch').isHidden(), 'the switch element is hidden');
    const text = await page.locator('#genai-not-offered-text').textContent();
    check(text.includes(EU_COUNTRY), `the explanation names the jurisdiction (${EU_COUNTRY}): ${text}`);
    check(/does not allow us to use your data/.test(text), `the explanation is in plain words: ${text}`);
    check(await page.getByRole('heading', { name: 'Data Processing Objection Form' }).isVisible(), 'the objection form is still offered');
    await until(() => page.getByText(/None of your data is in any training dataset/).isVisible(), 'the EU member\'s usage report is empty');
    check(await page.getByText(/No model has been trained on a dataset that holds your data/).isVisible(), 'no training run either');
    await checkAccessibility(page, 'settings (EU member)');
    await shot(page, '08-eu-member-no-switch');

    check(pageErrors.length === 0, `no script errors on the page: ${pageErrors.join(' | ')}`);
    console.log(`web/playwright: ${checks} checks passed; screenshots in ${ARTIFACTS}`);
    return 0;
  } catch (e) {
    try { await shot(page, 'failure'); } catch (_) { /* the page may be gone */ }
    console.error(`FAIL: ${e instanceof CheckFailed ? e.message : `${step}: ${e.stack || e}`}`);
    if (pageErrors.length) console.error(`page errors: ${pageErrors.join(' | ')}`);
    console.error(`(${checks} checks passed before; screenshot ${path.join(ARTIFACTS, 'failure.png')})`);
    return 1;
  } finally {
    await browser.close();
  }
}

main().then((rc) => process.exit(rc), (e) => {
  console.error(e);
  process.exit(1);
});

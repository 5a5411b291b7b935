'use strict';
// Helpers shared by the Portico browser tests: the browser, contexts,
// URLs, sign-in, the axe-core accessibility check, and screenshots.
//
// The server is started by run.sh; tests learn its port from
// PORTICO_E2E_PORT (default 8080, for running one file by hand against
// `portico demo`).

const fs = require('node:fs');
const path = require('node:path');
const assert = require('node:assert/strict');
const { test } = require('node:test');
const { chromium } = require('playwright-core');

const PORT = process.env.PORTICO_E2E_PORT || '8080';
const CHROMIUM = process.env.PORTICO_E2E_CHROMIUM || '/usr/bin/chromium';
const OUT = path.join(__dirname, 'out');
const A11Y_LOG = path.join(OUT, 'a11y.jsonl');
const PASSWORD = 'portico-demo';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const FAILING_IMPACTS = new Set(['serious', 'critical']);

fs.mkdirSync(OUT, { recursive: true });

/** `http://acme.localhost:PORT/path` */
function url(tenant, p = '/') {
  return `http://${tenant}.localhost:${PORT}${p}`;
}

async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
}

/**
 * One browser per test file; each `e2e(name, fn)` gets a fresh context
 * (cookies are not shared between tests) and a page. Every page of the
 * context is watched for script errors and 5xx responses. On failure, a
 * screenshot of each open page goes to e2e/out/. Serious and critical axe
 * violations found along the way fail the test at its end, so one journey
 * reports all of them at once.
 */
function suite() {
  let browser;
  const { before, after } = require('node:test');
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    if (browser) await browser.close();
  });

  function e2e(name, fn, opts = {}) {
    return test(name, opts, async (t) => {
      const run = new Run(browser, name, t);
      try {
        await fn(run, t);
      } catch (e) {
        await run.screenshotAll('fail');
        throw e;
      } finally {
        await run.close();
      }
      run.assertClean();
    });
  }
  return { e2e };
}

class Run {
  constructor(browser, name, t) {
    this.browser = browser;
    this.name = name;
    this.t = t;
    this.contexts = [];
    this.serious = [];
    this.problems = [];
  }

  /**
   * A fresh browser context (its own cookies) with a page. The page's CSP
   * is bypassed so axe-core can be injected; `{ enforceCSP: true }` keeps it
   * (no axe then) and records every CSP violation as a problem.
   */
  async newPage({ enforceCSP = false } = {}) {
    const ctx = await this.browser.newContext({
      bypassCSP: !enforceCSP,
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
    });
    ctx.setDefaultTimeout(15_000);
    ctx.setDefaultNavigationTimeout(20_000);
    this.contexts.push(ctx);
    ctx.on('page', (pg) => this.watch(pg));
    const page = await ctx.newPage();
    return page;
  }

  watch(page) {
    page.on('pageerror', (err) => this.problems.push(`script error on ${page.url()}: ${err.message}`));
    page.on('response', (r) => {
      if (r.status() >= 500) this.problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
    });
    page.on('response', (r) => {
      const type = r.request().resourceType();
      if (r.status() >= 400 && r.status() < 500 && type !== 'document') {
        this.t.diagnostic(`warning: HTTP ${r.status()} for ${type} ${r.url()} (on ${page.url()})`);
      }
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) this.problems.push(`CSP violation on ${page.url()}: ${m.text()}`);
      // "Failed to load resource" lines are reported with their URL above.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
        this.t.diagnostic(`console error on ${page.url()}: ${m.text()}`);
      }
    });
  }

  /**
   * Run axe-core on the page. Serious/critical violations are recorded and
   * fail the test at its end; the rest are logged as warnings. Everything
   * is appended to e2e/out/a11y.jsonl for the report.
   */
  async a11y(page, label) {
    const where = `${label} (${new URL(page.url()).host}${new URL(page.url()).pathname})`;
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: tags, resultTypes: ['violations', 'incomplete'] }),
      AXE_TAGS,
    );
    for (const v of result.violations) {
      const nodes = v.nodes.map((n) => ({
        target: n.target.join(' '),
        html: n.html.slice(0, 200),
        summary: (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 300),
      }));
      const line = `[axe ${v.impact}] ${where}: ${v.id} — ${v.help}\n` +
        nodes.map((n) => `      ${n.target}  ${n.html}`).join('\n');
      fs.appendFileSync(
        A11Y_LOG,
        JSON.stringify({ test: this.name, page: where, id: v.id, impact: v.impact, help: v.help, nodes }) + '\n',
      );
      if (FAILING_IMPACTS.has(v.impact)) {
        this.serious.push(line);
      } else {
        this.t.diagnostic(`warning: ${line}`);
      }
    }
    for (const v of result.incomplete) {
      // "Needs review": axe could not decide (e.g. contrast over an image).
      const targets = v.nodes.map((n) => n.target.join(' ')).join(', ');
      this.t.diagnostic(`axe needs review: ${where}: ${v.id} (${v.nodes.length} node(s): ${targets.slice(0, 300)})`);
      fs.appendFileSync(
        A11Y_LOG,
        JSON.stringify({ test: this.name, page: where, id: v.id, impact: 'needs-review', help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200) })) }) + '\n',
      );
    }
    await this.duplicateIds(page, where);
    return result.violations;
  }

  /**
   * axe-core no longer checks duplicate ids (its duplicate-id rules are
   * deprecated), but a duplicated id that a <label for> points at leaves the
   * second field without a name in real browsers. Logged as a warning.
   */
  async duplicateIds(page, where) {
    const dups = await page.evaluate(() => {
      const count = new Map();
      for (const el of document.querySelectorAll('[id]')) count.set(el.id, (count.get(el.id) || 0) + 1);
      return [...count].filter(([, n]) => n > 1).map(([id, n]) => {
        const labels = [...document.querySelectorAll('label')].filter((l) => l.htmlFor === id).map((l) => l.textContent.trim());
        return { id, n, labels };
      });
    });
    for (const d of dups) {
      const line = `[custom warning] ${where}: id "${d.id}" is used ${d.n} times` +
        (d.labels.length ? `; labels pointing at it: ${JSON.stringify(d.labels)} (only the first element gets a name)` : '');
      fs.appendFileSync(
        A11Y_LOG,
        JSON.stringify({ test: this.name, page: where, id: 'duplicate-id (custom)', impact: 'custom', help: line, nodes: [] }) + '\n',
      );
      this.t.diagnostic(line);
    }
  }

  /** Save e2e/out/<name>.png: the whole page, or one element (`{ locator }`). */
  async screenshot(page, name, { locator, fullPage = true } = {}) {
    const file = path.join(OUT, `${slug(name)}.png`);
    if (locator) await locator.screenshot({ path: file });
    else await page.screenshot({ path: file, fullPage });
    this.t.diagnostic(`screenshot: ${file}`);
    return file;
  }

  async screenshotAll(kind) {
    let i = 0;
    for (const ctx of this.contexts) {
      for (const page of ctx.pages()) {
        i += 1;
        const file = path.join(OUT, `${kind}-${slug(this.name)}-${i}.png`);
        try {
          await page.screenshot({ path: file, fullPage: true, timeout: 5000 });
          if (kind === 'fail') this.t.diagnostic(`screenshot: ${file} (${page.url()})`);
        } catch {
          /* page already gone */
        }
      }
    }
  }

  async close() {
    for (const ctx of this.contexts) await ctx.close().catch(() => {});
  }

  assertClean() {
    const msgs = [];
    if (this.serious.length) {
      msgs.push(`${this.serious.length} serious/critical accessibility violation(s):\n${this.serious.join('\n')}`);
    }
    if (this.problems.length) msgs.push(`page problems:\n  ${this.problems.join('\n  ')}`);
    assert.ok(msgs.length === 0, msgs.join('\n'));
  }
}

// ---- Page helpers ---------------------------------------------------------

/** The page's <main>, where every page's own content is. */
function main(page) {
  return page.locator('main');
}

async function expectText(locator, text, msg) {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible' }).catch(async () => {
    const actual = (await locator.first().innerText().catch(() => '<missing>')).slice(0, 1500);
    assert.fail(`${msg || 'expected text'}: ${JSON.stringify(String(text))} not found in:\n${actual}`);
  });
}

/** Wait for a navigation-causing click to settle on a new document. */
async function clickAndWait(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

/** Fill `login` and `password` on the portal sign-in page and submit. */
async function signInCustomer(page, tenant, login, password = PASSWORD) {
  await page.goto(url(tenant, '/login'));
  await page.getByLabel('User name or e-mail').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await clickAndWait(page, page.getByRole('button', { name: 'Sign in' }));
}

/** Sign in to the staff console at /staff/login. */
async function signInStaff(page, tenant, email, password = PASSWORD) {
  await page.goto(url(tenant, '/staff/login'));
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await clickAndWait(page, page.getByRole('button', { name: 'Sign in' }));
  assert.match(page.url(), /\/staff\/contacts/, `staff sign-in as ${email} should land on Contacts`);
}

/** Click "Sign out" in the header and expect the sign-in page. */
async function signOut(page) {
  await clickAndWait(page, page.locator('header').getByRole('button', { name: 'Sign out' }));
}

/** The <dd> that follows the <dt> with exactly this text, inside `scope`. */
function detail(scope, term) {
  return scope
    .locator('dt')
    .filter({ hasText: new RegExp(`^\\s*${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) })
    .locator('xpath=following-sibling::dd[1]');
}

/**
 * E-mails as the demo wrote them without SMTP (run.sh points
 * PORTICO_E2E_MAIL_DIR at the demo's `mail` directory): the console only
 * shows single-use links masked, so the recipient's copy is read here.
 * Waits for the mail worker (it polls every few seconds).
 */
const MAIL_DIR = process.env.PORTICO_E2E_MAIL_DIR || '';

function capturedMails() {
  if (!MAIL_DIR || !fs.existsSync(MAIL_DIR)) return [];
  return fs
    .readdirSync(MAIL_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => fs.readFileSync(path.join(MAIL_DIR, f), 'utf8'));
}

async function capturedLink(to, pathPart, timeoutMs = 30000) {
  assert.ok(MAIL_DIR, 'PORTICO_E2E_MAIL_DIR is set (run.sh)');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = capturedMails().filter((m) => m.includes(`\nTo: ${to}\n`));
    const last = mails[mails.length - 1];
    const link = last && (last.match(/https?:\/\/\S+/g) || []).find((l) => l.includes(pathPart));
    if (link) return link;
    if (Date.now() > deadline) throw new Error(`no captured e-mail to ${to} with a ${pathPart} link in ${MAIL_DIR}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function pathOf(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

module.exports = {
  PORT,
  capturedMails,
  capturedLink,
  PASSWORD,
  OUT,
  url,
  launch,
  suite,
  main,
  expectText,
  clickAndWait,
  signInCustomer,
  signInStaff,
  signOut,
  pathOf,
  detail,
};

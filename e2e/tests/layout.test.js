'use strict';
// Layout checks axe can't make: spacing in the console, and reflow at
// 320 CSS pixels wide (WCAG 1.4.10) on the main pages.

const assert = require('node:assert/strict');
const { suite, url, clickAndWait, signInCustomer, signInStaff } = require('../lib');

const { e2e } = suite();

e2e('staff console: content is padded away from the sidebar; brand and "Staff console" apart', async (r) => {
  const page = await r.newPage();
  await signInStaff(page, 'acme', 'admin@acme.example');
  const m = await page.evaluate(() => {
    const side = document.querySelector('.sidebar').getBoundingClientRect();
    const h1 = document.querySelector('main h1').getBoundingClientRect();
    const [name, sub] = document.querySelectorAll('header .brand > span');
    return { gap: h1.left - side.right, brandGap: sub.getBoundingClientRect().left - name.getBoundingClientRect().right };
  });
  assert.ok(m.gap >= 8, `the Contacts heading starts ${m.gap}px after the sidebar`);
  assert.ok(m.brandGap >= 4, `"Staff console" starts ${m.brandGap}px after the company name`);
});

/** Pages whose width exceeds the viewport (scrolling the whole page sideways). */
async function overflow(page) {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= w + 1) return null;
    // The widest elements that stick out, for the report.
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const b = el.getBoundingClientRect();
      if (b.right > w + 1 && el.offsetParent !== null) {
        let inScroller = false;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const ox = getComputedStyle(p).overflowX;
          if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') { inScroller = true; break; }
        }
        if (!inScroller) out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} right=${Math.round(b.right)}`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, width: w, offenders: out.slice(0, 8) };
  });
}

async function reflowProblems(page, paths) {
  const problems = [];
  for (const p of paths) {
    await page.goto(url('acme', p));
    const o = await overflow(page);
    if (o) problems.push(`${p}: page is ${o.scrollWidth}px wide at ${o.width}px; sticking out: ${o.offenders.join(', ')}`);
  }
  return problems;
}

e2e('portal pages reflow at 320px wide without sideways scrolling', async (r) => {
  const page = await r.newPage();
  await page.setViewportSize({ width: 320, height: 720 });
  const problems = await reflowProblems(page, ['/login', '/forgot-password']);
  await signInCustomer(page, 'acme', 'jane.doe');
  problems.push(
    ...(await reflowProblems(page, [
      '/',
      '/account',
      '/help',
      '/faq',
      '/announcements',
      '/payments',
      '/payments/multiple',
      '/payments/methods',
      '/payments/autopay',
      '/documents',
      '/tasks',
      '/messages',
    ])),
  );
  assert.deepEqual(problems, []);
});

e2e(
  'staff console pages reflow at 320px wide without sideways scrolling',
  async (r) => {
    const page = await r.newPage();
    await page.setViewportSize({ width: 320, height: 720 });
    await signInStaff(page, 'acme', 'admin@acme.example');
    await page.goto(url('acme', '/staff/contacts?q=Doe'));
    const contact = await page.getByRole('link', { name: 'Doe, Jane' }).getAttribute('href');
    const problems = await reflowProblems(page, [
      '/staff/contacts',
      contact,
      '/staff/mail',
      '/staff/audit',
      '/staff/settings',
    ]);
    assert.deepEqual(problems, []);
  }
);

e2e('pages work under their own Content-Security-Policy (no violations)', async (r) => {
  // The other tests bypass the CSP to inject axe-core; this one keeps it, so
  // an inline script or style the policy forbids shows up as a problem.
  const page = await r.newPage({ enforceCSP: true });
  const pages = [];
  page.on('load', () => pages.push(new URL(page.url()).pathname));
  await signInCustomer(page, 'acme', 'jane.doe');
  for (const p of ['/', '/announcements', '/help', '/faq', '/account']) await page.goto(url('acme', p));
  await page.locator('main details summary').first().click().catch(() => {});

  const staff = await r.newPage({ enforceCSP: true });
  await signInStaff(staff, 'acme', 'admin@acme.example');
  await staff.goto(url('acme', '/staff/contacts?q=Doe'));
  await clickAndWait(staff, staff.getByRole('link', { name: 'Doe, Jane' }));
  for (const p of ['/staff/mail', '/staff/audit', '/staff/settings']) await staff.goto(url('acme', p));
  const csp = await staff.evaluate(async () => (await fetch('/staff/contacts')).headers.get('content-security-policy'));
  assert.match(csp || '', /script-src 'self'/, 'the console sends a CSP');
  // Violations are collected by lib.js and fail the test at its end.
});

'use strict';
// Regressions of bugs this suite found once: they must stay fixed.

const assert = require('node:assert/strict');
const { suite, url, clickAndWait, signInCustomer, signInStaff, PORT } = require('../lib');

const { e2e } = suite();

e2e(
  'my account: every password field has its own label',
  async (r) => {
    const page = await r.newPage();
    await signInCustomer(page, 'acme', 'jane.doe');
    await page.goto(url('acme', '/account'));
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('main input:not([type=hidden])')]
        .filter((i) => i.labels.length === 0 && !i.getAttribute('aria-label') && !i.getAttribute('aria-labelledby'))
        .map((i) => `${i.closest('form').getAttribute('action')} ${i.name}#${i.id}`),
    );
    assert.deepEqual(unlabelled, [], 'every field has its own label');
  }
);

e2e(
  'demo: seeded welcome e-mails link to the port the demo serves on',
  async (r) => {
    const page = await r.newPage();
    await signInStaff(page, 'acme', 'admin@acme.example');
    await page.goto(url('acme', '/staff/mail'));
    const hrefs = [];
    const links = await page.locator('main table tbody tr td:nth-child(3) a').evaluateAll((as) => as.map((a) => a.href));
    for (const href of links) {
      await page.goto(href);
      hrefs.push(...(await page.locator('pre.mail-body a').evaluateAll((as) => as.map((a) => a.href))));
    }
    assert.ok(hrefs.length > 0);
    for (const h of hrefs) assert.equal(new URL(h).port, String(PORT), `link ${h}`);
  }
);

'use strict';
// Regressions of bugs this suite found once: they must stay fixed.

const assert = require('node:assert/strict');
const { suite, url, clickAndWait, signInCustomer, signInStaff, capturedMails, PORT } = require('../lib');

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
  async () => {
    // The recipients' copies (the console masks single-use links).
    const deadline = Date.now() + 30000;
    let hrefs = [];
    while (hrefs.length === 0 && Date.now() < deadline) {
      hrefs = capturedMails().flatMap((m) => (m.match(/https?:\/\/\S+/g) || []).filter((l) => l.includes('/set-password')));
      if (hrefs.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(hrefs.length > 0);
    for (const h of hrefs) assert.equal(new URL(h).port, String(PORT), `link ${h}`);
  }
);

'use strict';
// An administrator adds a webhook endpoint for two events, sees its signing
// secret once, sends a test event and finds it in the delivery log (the
// receiver isn't running here, so the log shows the failed try and the
// next one), then turns the endpoint off.

const assert = require('node:assert/strict');
const { suite, url, expectText, clickAndWait, signInStaff } = require('../lib');

const { e2e } = suite();

e2e('webhooks: add an endpoint, test event in the log, turn off', async (r) => {
  const page = await r.newPage();
  await signInStaff(page, 'acme', 'admin@acme.example');
  await page.goto(url('acme', '/staff/settings/webhooks'));
  await page.getByRole('heading', { level: 2, name: 'Add an endpoint' }).waitFor();
  await r.a11y(page, 'webhooks');

  // A bad address is refused with the choices kept.
  const form = page.locator('form[action="/staff/settings/webhooks"]');
  await form.getByLabel('Endpoint address').fill('ftp://crm.example.com/hooks');
  await form.getByLabel('All events, including ones added later').uncheck();
  await form.getByLabel(/payment\.succeeded/).check();
  await clickAndWait(page, form.getByRole('button', { name: 'Add endpoint' }));
  await expectText(page.locator('.field-error'), 'full address');
  const again = page.locator('form[action="/staff/settings/webhooks"]');
  assert.equal(await again.getByLabel(/payment\.succeeded/).isChecked(), true, 'the events ticked are kept');

  await again.getByLabel('Endpoint address').fill('http://127.0.0.1:9/hooks/portico');
  await again.getByLabel(/contact\.created/).check();
  await clickAndWait(page, again.getByRole('button', { name: 'Add endpoint' }));
  const secret = (await page.locator('code.secret').innerText()).trim();
  assert.match(secret, /^whsec_[A-Za-z0-9+/=]{32}$/);
  await expectText(page.locator('dl'), 'contact.created, payment.succeeded');

  await clickAndWait(page, page.getByRole('button', { name: 'Send test event' }));
  await expectText(page.getByRole('status'), 'test event is queued');
  const row = page.getByRole('row').filter({ hasText: 'webhook.test' });
  await expectText(row, 'webhook.test');
  // The demo's worker tries it (nothing listens on port 9): wait for the
  // failed try to show, with the next one planned.
  for (let i = 0; i < 40; i++) {
    await page.reload();
    if ((await page.getByRole('row').filter({ hasText: 'webhook.test' }).innerText()).includes('Retrying')) break;
    await page.waitForTimeout(250);
  }
  await expectText(page.getByRole('row').filter({ hasText: 'webhook.test' }), 'Retrying');
  await r.screenshot(page, 'webhook-endpoint');
  await r.a11y(page, 'webhook endpoint');

  await clickAndWait(page, page.getByRole('button', { name: 'Turn off' }));
  await expectText(page.getByRole('status'), 'The endpoint is off');
  await page.getByRole('button', { name: 'Turn on' }).waitFor();
});

'use strict';
// An administrator makes an API key for the CRM with the read and write
// scopes and a rate limit, sees it once, the CRM creates a contact with it
// (the contact shows in the console), and once revoked the key is refused.

const assert = require('node:assert/strict');
const http = require('node:http');
const { PORT, suite, url, expectText, clickAndWait, signInStaff } = require('../lib');

const { e2e } = suite();

/** A call as the CRM makes it (Node's resolver doesn't know *.localhost). */
function api(method, path, key, body) {
  const data = body ? JSON.stringify(body) : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        method,
        path,
        headers: {
          host: `acme.localhost:${PORT}`,
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          ...(data ? { 'content-length': Buffer.byteLength(data) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let json = null;
          try {
            json = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode, json });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

e2e('API keys: scoped key shown once, used by the CRM, revoked', async (r) => {
  const page = await r.newPage();
  await signInStaff(page, 'acme', 'admin@acme.example');
  await page.goto(url('acme', '/staff/settings/api'));
  await page.getByRole('heading', { level: 2, name: 'Create a key' }).waitFor();
  const form = page.locator('form[action="/staff/settings/api"]');
  assert.equal(await form.getByLabel('Read').isChecked(), true, 'a new key reads by default');
  await r.a11y(page, 'API keys');

  // No scope: refused, the name kept.
  await form.getByLabel('Name').fill('CRM sync');
  await form.getByLabel('Read').uncheck();
  await clickAndWait(page, form.getByRole('button', { name: 'Create key' }));
  await expectText(page.locator('.field-error'), 'Choose at least one scope.');
  assert.equal(await page.locator('form[action="/staff/settings/api"]').getByLabel('Name').inputValue(), 'CRM sync');

  const again = page.locator('form[action="/staff/settings/api"]');
  await again.getByLabel('Read').check();
  await again.getByLabel('Write').check();
  await again.getByLabel('Requests a minute').fill('120');
  await clickAndWait(page, again.getByRole('button', { name: 'Create key' }));
  const key = (await page.locator('code.secret').innerText()).trim();
  assert.match(key, /^pk_[A-Za-z0-9]{12}_/);
  const shown = `pk_${key.split('_')[1]}_`;
  const row = page.getByRole('row').filter({ hasText: shown });
  await expectText(row, 'Read, Write');
  await expectText(row, '120/min');
  await r.screenshot(page, 'api-key-created');
  await r.a11y(page, 'API key created');
  await page.goto(url('acme', '/staff/settings/api'));
  assert.equal(await page.locator('code.secret').count(), 0, 'the key is shown once');

  // The CRM uses it.
  const put = await api('PUT', '/api/v1/contacts/by-external-id/CRM-E2E-1', key, {
    first_name: 'Petra',
    last_name: 'Sync',
    email: 'petra.sync@example.com',
  });
  assert.equal(put.status, 201, JSON.stringify(put.json));
  assert.equal(put.json.result, 'created');
  const same = await api('PUT', '/api/v1/contacts/by-external-id/CRM-E2E-1', key, {
    first_name: 'Petra',
    last_name: 'Sync',
    email: 'petra.sync@example.com',
  });
  assert.equal(same.json.result, 'unchanged');
  const pay = await api('GET', '/api/v1/payments', key);
  assert.equal(pay.status, 403, 'no payments scope');

  await page.goto(url('acme', '/staff/contacts?q=Petra'));
  await page.getByRole('link', { name: /Sync/ }).first().waitFor();

  // Revoked: refused from then on.
  await page.goto(url('acme', '/staff/settings/api'));
  const live = page.getByRole('row').filter({ hasText: shown });
  await clickAndWait(page, live.getByRole('button', { name: /Revoke/ }));
  await expectText(page.getByRole('status'), 'revoked');
  const after = await api('GET', '/api/v1/contacts', key);
  assert.equal(after.status, 401);
});

'use strict';
// Staff management: an administrator invites a read-only colleague, who
// follows the e-mailed link, sets a password, and is refused settings.

const assert = require('node:assert/strict');
const { suite, url, expectText, clickAndWait, signInStaff, pathOf, capturedLink } = require('../lib');

const { e2e } = suite();

e2e('admin invites a read-only colleague; the link sets their password; the role limits the console', async (r) => {
  const admin = await r.newPage();
  await signInStaff(admin, 'acme', 'admin@acme.example');
  await clickAndWait(admin, admin.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Staff', exact: true }));
  await admin.getByRole('heading', { level: 1, name: 'Staff' }).waitFor();
  await r.a11y(admin, 'staff team');
  await admin.getByLabel('Name').fill('Quinn Ortega');
  await admin.getByLabel('E-mail').fill('quinn@acme.example');
  await admin.getByLabel('Role', { exact: true }).selectOption('readonly');
  await clickAndWait(admin, admin.getByRole('button', { name: 'Send invitation' }));
  await expectText(admin.getByRole('status'), 'Invitation sent');
  const row = admin.locator('table tbody tr').filter({ hasText: 'quinn@acme.example' });
  await expectText(row, 'Invited');
  await r.screenshot(admin, 'staff-team');

  const link = await capturedLink('quinn@acme.example', '/staff/set-password');
  const quinn = await r.newPage();
  await quinn.goto(link);
  await quinn.getByRole('heading', { level: 1, name: 'Choose your password' }).waitFor();
  await r.a11y(quinn, 'staff set password');
  await quinn.getByLabel('New password', { exact: true }).fill('amber thistle compass 8');
  await quinn.getByLabel('Type it again').fill('amber thistle compass 8');
  await clickAndWait(quinn, quinn.getByRole('button', { name: 'Save password' }));
  assert.equal(pathOf(quinn), '/staff/login?m=password-set');
  await signInStaff(quinn, 'acme', 'quinn@acme.example', 'amber thistle compass 8');
  const nav = quinn.getByRole('navigation', { name: 'Console' });
  assert.equal(await nav.getByRole('link', { name: 'Portal settings' }).count(), 0, 'no settings in a read-only menu');
  assert.equal(await nav.getByRole('link', { name: 'Staff', exact: true }).count(), 0, 'no staff page either');
  const refused = await quinn.goto(url('acme', '/staff/settings'));
  assert.equal(refused.status(), 403);
  await expectText(quinn.locator('main'), 'may not change portal settings');
  await quinn.goto(url('acme', '/staff/me'));
  await quinn.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
  await r.a11y(quinn, 'staff my account');

  // Deactivated: the next page sends them to sign in.
  await admin.reload();
  await clickAndWait(admin, admin.locator('table tbody tr').filter({ hasText: 'quinn@acme.example' }).getByRole('button', { name: /Deactivate/ }));
  await expectText(admin.getByRole('status'), 'Deactivated');
  await quinn.goto(url('acme', '/staff/contacts'));
  assert.match(pathOf(quinn), /^\/staff\/login/, 'signed out at once');
});

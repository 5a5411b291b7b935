'use strict';
// Journey b: Jane (signed in by user name) tries to change her e-mail with
// a wrong password and her password to a too-common one; both are refused
// with field errors, and nothing changes.

const assert = require('node:assert/strict');
const { suite, url, main, expectText, clickAndWait, signInCustomer, signOut, pathOf, detail } = require('../lib');

const { e2e } = suite();

e2e('my account: wrong current password and a common new password are refused', async (r) => {
  const page = await r.newPage();

  await signInCustomer(page, 'acme', 'jane.doe');
  assert.equal(pathOf(page), '/', 'user-name sign-in lands on the dashboard');
  await page.getByRole('heading', { level: 1, name: 'Welcome, Jane D.' }).waitFor();

  await clickAndWait(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' }));
  await page.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
  const profile = page.getByRole('region', { name: 'Profile' });
  assert.equal((await detail(profile, 'User name').innerText()).trim(), 'jane.doe');
  assert.equal((await detail(profile, 'E-mail').innerText()).trim(), 'jane.doe@example.com');
  await r.a11y(page, 'my account');

  // E-mail change with a wrong current password.
  const emailForm = page.locator('form[action="/account/email"]');
  await emailForm.getByLabel('New e-mail address').fill('jane.new@example.com');
  await emailForm.getByLabel('Your current password').fill('not-my-password-77');
  await clickAndWait(page, emailForm.getByRole('button', { name: 'Change e-mail' }));
  assert.equal(new URL(page.url()).pathname, '/account/email');
  await expectText(page.getByRole('alert'), 'The e-mail address was not changed');
  {
    const form = page.locator('form[action="/account/email"]');
    const pw = form.getByLabel('Your current password');
    await expectText(form.locator('.field-error'), 'Your current password is not correct.');
    assert.equal(await pw.getAttribute('aria-invalid'), 'true', 'the password field is marked invalid');
    const errId = await pw.getAttribute('aria-describedby');
    assert.ok(errId, 'the field error is tied to the field');
    assert.match(await page.locator(`[id="${errId}"]`).innerText(), /not correct/);
    assert.equal(await form.getByLabel('New e-mail address').inputValue(), 'jane.new@example.com', 'typed e-mail kept');
    assert.equal(await pw.inputValue(), '', 'password is not echoed back');
  }
  await r.a11y(page, 'my account: e-mail change refused');

  // Password change to a too-common password (with the right current one).
  const pwForm = page.locator('form[action="/account/password"]');
  await pwForm.getByLabel('Current password', { exact: true }).fill('portico-demo');
  await pwForm.getByLabel('New password', { exact: true }).fill('password123');
  await pwForm.getByLabel('Type the new password again').fill('password123');
  await clickAndWait(page, pwForm.getByRole('button', { name: 'Change password' }));
  assert.equal(new URL(page.url()).pathname, '/account/password');
  await expectText(page.getByRole('alert'), 'Your password was not changed');
  {
    const form = page.locator('form[action="/account/password"]');
    await expectText(form.locator('.field-error'), 'too common', 'common-password error');
    assert.equal(await form.getByLabel('New password', { exact: true }).getAttribute('aria-invalid'), 'true');
  }
  await r.a11y(page, 'my account: password change refused');

  // Nothing changed: same e-mail, and the old password still signs in.
  await page.goto(url('acme', '/account'));
  assert.equal(
    (await detail(page.getByRole('region', { name: 'Profile' }), 'E-mail').innerText()).trim(),
    'jane.doe@example.com',
  );
  await signOut(page);
  await signInCustomer(page, 'acme', 'jane.doe@example.com');
  assert.equal(pathOf(page), '/', 'the old password still works');
  await expectText(main(page), 'Welcome, Jane D.');
});

e2e('forgot password: the page asks for a user name before sending anything', async (r) => {
  const page = await r.newPage();
  await page.goto(url('acme', '/login'));
  await clickAndWait(page, page.getByRole('link', { name: 'Forgot your password?' }));
  assert.equal(pathOf(page), '/forgot-password');
  await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
  await r.a11y(page, 'forgot password');
  await clickAndWait(page, page.getByRole('button', { name: 'Send the link' }));
  const field = page.getByLabel('User name or e-mail');
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  await expectText(main(page).locator('.field-error'), 'Enter your user name or e-mail address.');
  await r.a11y(page, 'forgot password with an error');
  await clickAndWait(page, page.getByRole('link', { name: 'Back to sign in' }));
  assert.equal(pathOf(page), '/login');
});

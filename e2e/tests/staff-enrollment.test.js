'use strict';
// Journey c: staff enroll a contact, the welcome e-mail's set-password link
// works once, and the new user's first sign-in asks them to verify.

const assert = require('node:assert/strict');
const { suite, url, main, expectText, clickAndWait, signInStaff, pathOf, detail, capturedLink, PORT } = require('../lib');

const { e2e } = suite();

e2e('staff enroll a contact; welcome link sets the password once; first login asks to verify', async (r) => {
  const staff = await r.newPage();
  await staff.goto(url('acme', '/staff/login'));
  await staff.getByRole('heading', { level: 1, name: 'Staff sign in' }).waitFor();
  await r.a11y(staff, 'staff sign-in');
  await signInStaff(staff, 'acme', 'admin@acme.example');
  await staff.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
  await r.a11y(staff, 'staff contacts');

  // A contact without a portal user.
  const row = staff
    .locator('table tbody tr')
    .filter({ has: staff.locator('.badge', { hasText: 'Not enrolled' }) })
    .first();
  await row.waitFor();
  const listedName = (await row.getByRole('link').innerText()).trim(); // "Last, First"
  const email = (await row.locator('td').nth(2).innerText()).trim();
  assert.match(email, /@/, `the contact has an e-mail (${email})`);
  const [last, firstName] = listedName.split(', ');

  // Search for it.
  await staff.getByLabel('Search contacts').fill(email);
  await clickAndWait(staff, staff.getByRole('button', { name: 'Search' }));
  const found = staff.locator('table tbody tr');
  assert.equal(await found.count(), 1, `searching ${email} finds one contact`);
  await expectText(found, 'Not enrolled');
  await r.a11y(staff, 'staff contacts search');

  await clickAndWait(staff, found.getByRole('link', { name: listedName }));
  await staff.getByRole('heading', { level: 1, name: `${firstName} ${last}` }).waitFor();
  const portal = staff.getByRole('region', { name: 'Customer Portal' });
  await expectText(portal, 'This contact has no portal user yet.');
  await r.a11y(staff, 'staff contact (not enrolled)');

  await clickAndWait(staff, portal.getByRole('button', { name: 'Create user' }));
  await expectText(staff.getByRole('status'), 'Portal user created and the welcome e-mail is on its way.');
  const portalAfter = staff.getByRole('region', { name: 'Customer Portal' });
  const username = (await detail(portalAfter, 'User name').innerText()).trim();
  assert.ok(username.length > 0, 'a user name was generated');
  assert.equal((await detail(portalAfter, 'Sign-in e-mail').innerText()).trim(), email);
  const sent = (await detail(portalAfter, 'Welcome e-mail sent').innerText()).trim();
  assert.ok(sent && sent !== 'Never', `welcome e-mail sent date shown (got "${sent}")`);
  await expectText(portalAfter, 'Active');
  await r.a11y(staff, 'staff contact (enrolled)');
  await r.screenshot(staff, 'staff-contact-portal-section');

  // The welcome e-mail in Sent mail.
  await clickAndWait(staff, staff.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Sent mail' }));
  await staff.getByRole('heading', { level: 1, name: 'Sent mail' }).waitFor();
  await r.a11y(staff, 'staff sent mail');
  const mailRow = staff.locator('table tbody tr').filter({ hasText: email }).first();
  await clickAndWait(staff, mailRow.getByRole('link'));
  await expectText(staff.locator('main dl'), email, 'mail is to the contact');
  await r.a11y(staff, 'staff mail view');
  assert.equal(await staff.locator('pre.mail-body a[href*="/set-password"]').count(), 0, 'no usable link in the console');
  await expectText(staff.locator('pre.mail-body'), 'single-use link, not shown');
  // The recipient's copy (the demo writes it to its mail directory).
  const link = await capturedLink(email, '/set-password');
  assert.ok(link, 'the e-mail has a set-password link');
  const linkUrl = new URL(link);
  assert.equal(linkUrl.host, `acme.localhost:${PORT}`, `the link is absolute on the primary domain (${link})`);
  assert.ok(linkUrl.searchParams.get('token'), 'the link carries a token');

  // The customer follows it in their own browser.
  const cust = await r.newPage();
  await cust.goto(link);
  await cust.getByRole('heading', { level: 1, name: 'Choose your password' }).waitFor();
  const lead = await main(cust).locator('.lead').innerText();
  assert.ok(lead.includes(`Hello ${firstName}.`), `greets the contact: ${lead}`);
  const shownUser = (await main(cust).locator('.lead strong').innerText()).trim();
  assert.equal(shownUser, username, 'set-password page shows the same user name as the console');
  await r.a11y(cust, 'set password');

  await cust.getByLabel('New password', { exact: true }).fill('quiet lantern harbor 42');
  await cust.getByLabel('Type it again').fill('quiet lantern harbor 42');
  await clickAndWait(cust, cust.getByRole('button', { name: 'Save password' }));
  assert.equal(pathOf(cust), '/login?m=password-set');
  await expectText(cust.getByRole('status'), 'Your password is set');
  await r.a11y(cust, 'sign-in after password set');

  await cust.getByLabel('User name or e-mail').fill(shownUser);
  await cust.getByLabel('Password', { exact: true }).fill('quiet lantern harbor 42');
  await clickAndWait(cust, cust.getByRole('button', { name: 'Sign in' }));
  assert.equal(pathOf(cust), '/onboarding', 'first sign-in asks to verify identity');
  await cust.getByRole('heading', { level: 1, name: "Confirm it's you" }).waitFor();

  // The link works once.
  const again = await r.newPage();
  const resp = await again.goto(link);
  assert.equal(resp.status(), 400);
  await expectText(again.locator('main'), /invalid, expired or (was )?already used/, 'used link refused');
  await r.a11y(again, 'set password: used link');

  // The console shows the first sign-in.
  await staff.goto(url('acme', `/staff/contacts?q=${encodeURIComponent(email)}`));
  await clickAndWait(staff, staff.locator('table tbody tr').first().getByRole('link'));
  const lastLogin = (await detail(staff.getByRole('region', { name: 'Customer Portal' }), 'Last login').innerText()).trim();
  assert.notEqual(lastLogin, 'Never', 'last login recorded');
});

'use strict';
// Journey a: a new customer signs in, confirms their identity (after one
// wrong try), lands on the dashboard, browses the portal and signs out.

const assert = require('node:assert/strict');
const { suite, url, main, expectText, clickAndWait, signOut, pathOf, detail, PASSWORD } = require('../lib');

const { e2e } = suite();

e2e('new customer: sign in, confirm identity, dashboard, browse, sign out', async (r) => {
  const page = await r.newPage();

  await page.goto(url('acme', '/login'));
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await expectText(main(page), 'Acme Capital', 'sign-in page brand');
  await r.a11y(page, 'portal sign-in');

  await page.getByLabel('User name or e-mail').fill('new.customer@example.com');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await clickAndWait(page, page.getByRole('button', { name: 'Sign in' }));

  // First sign-in: identity check.
  assert.equal(pathOf(page), '/onboarding', 'first sign-in goes to onboarding');
  await page.getByRole('heading', { level: 1, name: "Confirm it's you" }).waitFor();
  await r.a11y(page, 'onboarding (verify identity)');

  // A wrong SSN: an error, and the date of birth the user typed stays.
  await page.getByLabel('Date of birth').fill('1985-04-12');
  await page.getByLabel('Last four digits of your Social Security number').fill('9876');
  await clickAndWait(page, page.getByRole('button', { name: 'Continue' }));
  assert.equal(pathOf(page), '/onboarding');
  const alert = page.getByRole('alert');
  await expectText(alert, "These details don't match our records", 'wrong SSN error');
  assert.equal(await page.getByLabel('Date of birth').inputValue(), '1985-04-12', 'typed date of birth is kept');
  assert.equal(
    await page.getByLabel('Last four digits of your Social Security number').inputValue(),
    '',
    'the SSN digits are not echoed back',
  );
  await r.a11y(page, 'onboarding with a wrong SSN');

  // The right details.
  await page.getByLabel('Last four digits of your Social Security number').fill('1234');
  await clickAndWait(page, page.getByRole('button', { name: 'Continue' }));
  assert.equal(new URL(page.url()).pathname, '/', 'verified customers land on the dashboard');
  await page.getByRole('heading', { level: 1, name: 'Welcome, Nora N.' }).waitFor();
  await expectText(main(page), 'Customer ID AC-100002');
  await expectText(page.getByRole('status'), 'your identity is confirmed', 'verified notice');
  const announcement = page.getByRole('region', { name: 'Announcement' });
  await announcement.waitFor();
  assert.ok((await announcement.locator('p').first().innerText()).trim().length > 0, 'announcement has text');
  const quick = page.getByRole('region', { name: 'Quick actions' });
  const actions = (await quick.getByRole('link').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
  for (const want of ['Contact us', 'Questions and answers', 'My account']) {
    assert.ok(actions.some((a) => a.includes(want)), `quick action "${want}" in ${JSON.stringify(actions)}`);
  }
  await r.a11y(page, 'dashboard');
  await r.screenshot(page, 'dashboard');

  const nav = page.getByRole('navigation', { name: 'Main' });

  // Help
  await clickAndWait(page, nav.getByRole('link', { name: 'Help' }));
  await page.getByRole('heading', { level: 1, name: 'Help' }).waitFor();
  await expectText(main(page), 'Contact Acme Capital');
  assert.equal(await nav.getByRole('link', { name: 'Help' }).getAttribute('aria-current'), 'page');
  await r.a11y(page, 'help');

  // FAQ: open the first question.
  await clickAndWait(page, nav.getByRole('link', { name: 'FAQ' }));
  await page.getByRole('heading', { level: 1, name: 'Frequently asked questions' }).waitFor();
  const first = main(page).locator('details').first();
  assert.equal(await first.getAttribute('open'), null, 'questions start closed');
  await first.locator('summary').click();
  await first.locator('.faq-answer').waitFor({ state: 'visible' });
  assert.notEqual(await first.getAttribute('open'), null, 'the question opened');
  assert.ok((await first.locator('.faq-answer').innerText()).trim().length > 0, 'the answer has text');
  await r.a11y(page, 'faq (one question open)');

  // Announcements
  await clickAndWait(page, nav.getByRole('link', { name: 'Announcements' }));
  await page.getByRole('heading', { level: 1, name: 'Announcements' }).waitFor();
  assert.ok((await main(page).locator('article p').count()) > 0, 'announcement page has paragraphs');
  await r.a11y(page, 'announcements');

  // My account
  await clickAndWait(page, nav.getByRole('link', { name: 'My account' }));
  await page.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
  const profile = page.getByRole('region', { name: 'Profile' });
  assert.equal((await detail(profile, 'Date of birth').innerText()).trim(), '12 April 1985');
  assert.equal((await detail(profile, 'E-mail').innerText()).trim(), 'new.customer@example.com');
  assert.equal((await detail(profile, 'Customer ID').innerText()).trim(), 'AC-100002');
  await r.a11y(page, 'my account');

  // Sign out: back at sign-in, and the portal is closed again.
  await signOut(page);
  assert.equal(pathOf(page), '/login?m=signed-out');
  await expectText(page.getByRole('status'), 'You are signed out.');
  await page.goto(url('acme', '/account'));
  assert.equal(new URL(page.url()).pathname, '/login', 'signed-out visitors are sent to sign-in');
});

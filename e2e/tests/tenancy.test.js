'use strict';
// Journey e: sessions and sign-ins belong to one company's host.

const assert = require('node:assert/strict');
const { suite, url, main, expectText, clickAndWait, signInCustomer, signInStaff, pathOf } = require('../lib');

const { e2e } = suite();

e2e('a customer signed in at acme is not signed in at northwind; northwind has its own branding', async (r) => {
  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'jane.doe@example.com');
  assert.equal(pathOf(page), '/');
  await page.getByRole('heading', { level: 1, name: 'Welcome, Jane D.' }).waitFor();

  // Same browser context, other company's host: not signed in there.
  await page.goto(url('northwind', '/'));
  const u = new URL(page.url());
  assert.equal(u.host, `northwind.localhost:${process.env.PORTICO_E2E_PORT || '8080'}`);
  assert.equal(u.pathname, '/login', 'redirected to northwind sign-in');
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await expectText(main(page), 'Northwind Supply', 'northwind branding on sign-in');
  assert.ok(!(await main(page).innerText()).includes('Acme'), 'no Acme branding at northwind');
  assert.match(await page.title(), /Northwind Supply/);
  await r.a11y(page, 'northwind sign-in');

  // Jane's acme credentials do not work at northwind.
  await page.getByLabel('User name or e-mail').fill('jane.doe@example.com');
  await page.getByLabel('Password', { exact: true }).fill('portico-demo');
  await clickAndWait(page, page.getByRole('button', { name: 'Sign in' }));
  await expectText(page.getByRole('alert'), 'The user name or password is not correct.');
  assert.equal(
    await page.getByLabel('User name or e-mail').inputValue(),
    'jane.doe@example.com',
    'typed login kept after a failed sign-in',
  );
  await r.a11y(page, 'northwind sign-in error');

  // Northwind's own customer.
  await signInCustomer(page, 'northwind', 'buyer@northwind.example');
  assert.equal(pathOf(page), '/', 'northwind buyer lands on the dashboard');
  await page.getByRole('heading', { level: 1, name: /^Welcome, / }).waitFor();
  await expectText(page.locator('header .brand'), 'Northwind Supply', 'northwind brand in the header');
  await r.a11y(page, 'northwind dashboard');

  // Jane is still signed in at acme.
  await page.goto(url('acme', '/'));
  assert.equal(pathOf(page), '/', 'acme session unaffected');
  await page.getByRole('heading', { level: 1, name: 'Welcome, Jane D.' }).waitFor();
  await expectText(page.locator('header .brand'), 'Acme Capital');
});

e2e('acme staff are not signed in to northwind staff console', async (r) => {
  const page = await r.newPage();
  await signInStaff(page, 'acme', 'admin@acme.example');
  await page.goto(url('northwind', '/staff/contacts'));
  assert.equal(new URL(page.url()).pathname, '/staff/login', 'northwind console asks to sign in');
  await expectText(main(page), 'Northwind Supply');
  await r.a11y(page, 'northwind staff sign-in');

  // Acme's admin can't sign in at northwind.
  await page.getByLabel('E-mail').fill('admin@acme.example');
  await page.getByLabel('Password', { exact: true }).fill('portico-demo');
  await clickAndWait(page, page.getByRole('button', { name: 'Sign in' }));
  await expectText(page.getByRole('alert'), 'The e-mail or password is not correct.');
  assert.equal(await page.getByLabel('E-mail').inputValue(), 'admin@acme.example', 'typed e-mail kept');
  await r.a11y(page, 'northwind staff sign-in error');

  // Northwind's admin sees only northwind contacts.
  await signInStaff(page, 'northwind', 'admin@northwind.example');
  const names = await page.locator('main table tbody tr td:first-child').allInnerTexts();
  assert.ok(names.length > 0, 'northwind has contacts');
  assert.ok(!names.includes('Doe, Jane'), 'no acme contacts at northwind');
  await r.a11y(page, 'northwind staff contacts');
});

e2e('unknown host gets 404', async (r) => {
  const page = await r.newPage();
  const resp = await page.goto(url('nosuchcompany', '/login'));
  assert.equal(resp.status(), 404);
});

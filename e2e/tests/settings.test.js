'use strict';
// Journey f: a change in Portal settings shows in the portal; an invalid
// brand colour is refused and the other typed values are kept.

const assert = require('node:assert/strict');
const { suite, main, expectText, clickAndWait, signInCustomer, signInStaff, pathOf } = require('../lib');

const { e2e } = suite();

e2e('portal settings: new announcement shows on the dashboard; bad colour refused', async (r) => {
  // Jane, already signed in, before the change.
  const customer = await r.newPage();
  await signInCustomer(customer, 'acme', 'jane.doe');
  assert.equal(pathOf(customer), '/');
  const announcement = customer.getByRole('region', { name: 'Announcement' });

  const staff = await r.newPage();
  await signInStaff(staff, 'acme', 'admin@acme.example');
  await clickAndWait(staff, staff.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Portal settings' }));
  await staff.getByRole('heading', { level: 1, name: 'Customer portal settings' }).waitFor();
  await r.a11y(staff, 'staff portal settings');

  const text = `Branch hours change on Friday (e2e ${Date.now().toString(36)})`;
  assert.ok(!(await main(customer).innerText()).includes(text));
  const short = staff.getByLabel('Short announcement (dashboard)');
  await short.fill(text);
  await clickAndWait(staff, staff.getByRole('button', { name: 'Save settings' }));
  await expectText(staff.getByRole('status'), 'Saved', 'settings saved');
  assert.equal(await staff.getByLabel('Short announcement (dashboard)').inputValue(), text);
  await r.a11y(staff, 'staff portal settings (saved)');
  await r.screenshot(staff, 'staff-settings-saved', { fullPage: false });

  await customer.reload();
  await expectText(announcement, text, 'the new announcement on the dashboard');

  // An invalid brand colour: nothing saved, typed values kept.
  const hours = `Mon–Fri 8:00–17:00 (e2e ${Date.now().toString(36)})`;
  const text2 = `${text} — should not be saved`;
  await staff.getByLabel('Short announcement (dashboard)').fill(text2);
  await staff.getByRole('group', { name: 'Help contact' }).getByLabel('Hours').fill(hours);
  await staff.getByLabel('Brand colour').fill('red');
  await clickAndWait(staff, staff.getByRole('button', { name: 'Save settings' }));
  await expectText(staff.getByRole('alert'), 'Nothing was saved. Correct the fields marked below.');
  const colour = staff.getByLabel('Brand colour');
  assert.equal(await colour.getAttribute('aria-invalid'), 'true', 'brand colour marked invalid');
  const errId = await colour.getAttribute('aria-describedby');
  assert.ok(errId && (await staff.locator(`[id="${errId}"]`).innerText()).trim().length > 0, 'brand colour error text');
  assert.equal(await colour.inputValue(), 'red', 'typed colour kept');
  assert.equal(await staff.getByLabel('Short announcement (dashboard)').inputValue(), text2, 'typed announcement kept');
  assert.equal(await staff.getByRole('group', { name: 'Help contact' }).getByLabel('Hours').inputValue(), hours, 'typed hours kept');
  await r.a11y(staff, 'staff portal settings (invalid colour)');
  await r.screenshot(staff, 'staff-settings-invalid-colour', {
    locator: staff.getByRole('group', { name: 'Appearance and options' }),
  });

  await customer.reload();
  await expectText(announcement, text, 'the saved announcement is unchanged');

  // The other settings pages (tabs), when the console has them.
  const tabs = staff.getByRole('navigation', { name: 'Settings sections' });
  if ((await tabs.count()) > 0) {
    const hrefs = await tabs.getByRole('link').evaluateAll((as) => as.map((a) => [a.textContent.trim(), a.getAttribute('href')]));
    for (const [label, href] of hrefs) {
      if (href === '/staff/settings') continue;
      await clickAndWait(staff, staff.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: label }));
      assert.equal(new URL(staff.url()).pathname, href);
      await staff.getByRole('heading', { level: 1, name: 'Customer portal settings' }).waitFor();
      await r.a11y(staff, `staff portal settings: ${label} tab`);
    }
  }
  assert.ok(!(await announcement.innerText()).includes('should not be saved'));
});

'use strict';
// Journey: Jane writes to her team member (the hidden one isn't offered;
// an empty message is refused with her subject kept), attaches one of her
// documents; Sam finds it in the console inbox, answers; Jane's header
// envelope counts the new answer without a reload, and the answer is in
// the conversation. Then the other pages of this feature, with axe-core.

const assert = require('node:assert/strict');
const { suite, main, expectText, clickAndWait, signInCustomer, signInStaff, pathOf, url } = require('../lib');

const { e2e } = suite();

async function badge(page) {
  const el = page.locator('header .envelope-count');
  await el.waitFor({ state: 'attached' });
  const text = (await el.innerText()).trim();
  return text === '' ? 0 : Number(text.replace(/\D/g, ''));
}

e2e('message round trip: customer → staff inbox → reply → unread badge in the header', async (r) => {
  const subject = `Payment date question ${Date.now()}`;
  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'jane.doe');
  // The envelope loads its count after the page.
  await page.locator('header .envelope-count[hx-get^="/messages/badge?n="]').waitFor({ state: 'attached' });
  const start = await badge(page);

  await clickAndWait(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Messages' }));
  await r.a11y(page, 'messages list');
  await clickAndWait(page, main(page).getByRole('link', { name: 'Send a message' }));
  assert.equal(pathOf(page), '/messages/new');
  const to = page.getByLabel('To', { exact: true });
  const options = await to.locator('option').allTextContents();
  assert.ok(options.includes('Sam Rivera'), `team member offered: ${options}`);
  assert.ok(!options.some((o) => o.includes('Robin Chen')), 'a hidden staff member is never offered');
  await r.a11y(page, 'send a message');

  await page.getByLabel('Subject', { exact: true }).fill(subject);
  await clickAndWait(page, main(page).getByRole('button', { name: 'Send message' }));
  await expectText(main(page), 'Write your message.', 'empty body refused');
  assert.equal(await page.getByLabel('Subject', { exact: true }).inputValue(), subject, 'subject kept');
  await r.a11y(page, 'send a message with an error');

  await page.getByLabel('To', { exact: true }).selectOption({ label: 'Sam Rivera' });
  await page.getByLabel('Message', { exact: true }).fill('Can I move my payment date to the 15th?');
  await main(page).getByRole('checkbox', { name: /Driver license\.pdf/ }).check();
  await clickAndWait(page, main(page).getByRole('button', { name: 'Send message' }));
  assert.match(pathOf(page), /^\/messages\/\d+\?m=message-sent$/);
  const convPath = pathOf(page).split('?')[0];
  await expectText(page.locator('.flash'), 'Your message is sent', 'sent notice');
  await expectText(main(page).locator('.thread'), 'Driver license.pdf', 'attachment listed');
  await r.a11y(page, 'conversation');

  // Jane waits on her dashboard.
  await page.goto(url('acme', '/'));
  await page.locator('header .envelope-count[hx-get^="/messages/badge?n="]').waitFor({ state: 'attached' });
  assert.equal(await badge(page), start);

  // Sam answers from the console inbox.
  const staff = await r.newPage();
  await signInStaff(staff, 'acme', 'servicer@acme.example');
  await clickAndWait(staff, staff.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Inbox' }));
  const row = main(staff).locator('tr', { hasText: subject });
  await expectText(row, '1 unread', 'new message unread in the inbox');
  await r.a11y(staff, 'console inbox');
  await staff.getByLabel('Assigned', { exact: true }).selectOption('me');
  await clickAndWait(staff, main(staff).getByRole('button', { name: 'Filter' }));
  await clickAndWait(staff, main(staff).getByRole('link', { name: subject }));
  await expectText(main(staff), 'Can I move my payment date to the 15th?', 'the message');
  await r.a11y(staff, 'console conversation');
  await staff.getByLabel('Your reply', { exact: true }).fill('Yes, we have moved it to the 15th from next month.');
  await clickAndWait(staff, main(staff).getByRole('button', { name: 'Send reply' }));
  await expectText(staff.locator('.flash'), 'Reply sent', 'reply notice');
  await r.screenshot(staff, 'messages-console-conversation');

  // The badge counts the answer without a reload.
  await page.waitForFunction(
    (n) => {
      const el = document.querySelector('header .envelope-count');
      return el && Number((el.textContent || '').replace(/\D/g, '') || 0) === n;
    },
    start + 1,
    { timeout: 30_000 },
  );
  await expectText(page.locator('header .envelope'), `${start + 1} unread`, 'accessible count');
  await r.screenshot(page, 'messages-badge', { locator: page.locator('header'), fullPage: false });

  await page.goto(url('acme', convPath));
  await expectText(main(page).locator('.thread'), 'moved it to the 15th', 'the reply in the conversation');
  await expectText(main(page).locator('.thread'), 'Sam Rivera', 'from the visible team member');
  await r.screenshot(page, 'messages-conversation');
  await page.locator('header .envelope-count[hx-get^="/messages/badge?n="]').waitFor({ state: 'attached' });
  assert.equal(await badge(page), start, 'reading it clears it from the count');
});

e2e('notifications, send a request, staff groups and text messages pass axe', async (r) => {
  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'jane.doe');
  await page.goto(url('acme', '/account/notifications'));
  await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
  await page.getByLabel('Mobile number', { exact: true }).fill('not a number');
  await clickAndWait(page, main(page).getByRole('button', { name: 'Send code' }));
  await expectText(main(page), 'Use digits only', 'bad number refused');
  await r.a11y(page, 'notifications with an error');
  await page.getByLabel('Mobile number', { exact: true }).fill('(512) 555-0142');
  await clickAndWait(page, main(page).getByRole('button', { name: 'Send code' }));
  await expectText(page.locator('.flash'), 'We sent a 6-digit code', 'code sent');
  await r.a11y(page, 'notifications: enter the code');
  await r.screenshot(page, 'notifications');
  await page.goto(url('acme', '/messages/request'));
  await r.a11y(page, 'send a request');

  const staff = await r.newPage();
  await signInStaff(staff, 'acme', 'admin@acme.example');
  for (const [p, label] of [['/staff/groups', 'staff groups'], ['/staff/sms', 'text messages'], ['/staff/tasks', 'tasks']]) {
    await staff.goto(url('acme', p));
    await r.a11y(staff, `console: ${label}`);
  }
  await expectText(main(staff), 'Outstanding', 'tasks filter');
  await staff.goto(url('acme', '/staff/sms'));
  await expectText(main(staff), '+15125550142', 'the verification SMS is in the outbox');
  await r.screenshot(staff, 'console-sms');
});

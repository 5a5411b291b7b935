'use strict';
// Journey: a servicer assigns a task from the console (bad input refused,
// values kept); Jane sees it on the dashboard and on Tasks as "No" in red,
// marks it done and it turns "Yes" in green (text, icon and colour); a
// task assigned while her page is open appears without a reload; staff
// see it completed. axe-core on every page on the way.

const assert = require('node:assert/strict');
const { suite, main, expectText, clickAndWait, signInCustomer, signInStaff, pathOf, url } = require('../lib');

const { e2e } = suite();

const RED = 'rgb(185, 28, 28)';
const GREEN = 'rgb(21, 128, 61)';

async function openJane(staff) {
  await staff.goto(url('acme', '/staff/contacts?q=Doe'));
  await clickAndWait(staff, main(staff).getByRole('link', { name: 'Doe, Jane' }));
  assert.match(pathOf(staff), /^\/staff\/contacts\/\d+$/);
}

async function assign(staff, title, { check = false } = {}) {
  await openJane(staff);
  await clickAndWait(staff, main(staff).getByRole('link', { name: 'Assign a task' }));
  await staff.getByRole('heading', { level: 1, name: /Assign a task to Jane Doe/ }).waitFor();
  if (check) {
    // Nothing typed: refused beside the fields, instructions kept.
    await staff.getByLabel('Instructions').fill('Kept instructions');
    await clickAndWait(staff, main(staff).getByRole('button', { name: 'Assign task' }));
    await expectText(main(staff), 'Enter a title', 'title error');
    assert.equal(await staff.getByLabel('Instructions').inputValue(), 'Kept instructions');
  }
  await staff.getByLabel('Title').fill(title);
  await staff.getByLabel('Due date').fill('2099-06-30');
  await staff.getByLabel('The customer acknowledges it').check();
  await clickAndWait(staff, main(staff).getByRole('button', { name: 'Assign task' }));
  await expectText(staff.locator('.flash'), 'Task assigned', 'assigned notice');
}

e2e('a task assigned in the console is completed in the portal and turns green', async (r) => {
  const stamp = Date.now();
  const title = `Confirm your phone number ${stamp}`;
  const later = `Review your autopay date ${stamp}`;

  const staff = await r.newPage();
  await signInStaff(staff, 'acme', 'servicer@acme.example');
  await openJane(staff);
  await r.a11y(staff, 'console: contact with tasks, conversations, team, notes');
  await clickAndWait(staff, main(staff).getByRole('link', { name: 'Assign a task' }));
  await r.a11y(staff, 'console: assign a task');
  await assign(staff, title, { check: true });
  await r.screenshot(staff, 'tasks-console-contact-panels');

  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'jane.doe');
  const card = page.getByRole('region', { name: 'Outstanding tasks' });
  await expectText(card, title, 'the dashboard lists the new task');
  await r.a11y(page, 'dashboard with outstanding tasks');

  await clickAndWait(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks' }));
  assert.equal(pathOf(page), '/tasks');
  const row = main(page).locator('tr', { hasText: title });
  const status = row.locator('.task-status');
  assert.equal((await status.innerText()).trim(), 'No');
  assert.equal(await status.evaluate((el) => getComputedStyle(el).color), RED);
  await r.a11y(page, 'tasks page');
  await r.screenshot(page, 'tasks-before');

  await clickAndWait(page, row.getByRole('button', { name: new RegExp(`^Mark as done\\s*:\\s*${title}$`) }));
  assert.equal(pathOf(page), '/tasks?m=task-done');
  await expectText(page.locator('.flash'), "we've let our team know", 'done notice');
  const done = main(page).locator('tr', { hasText: title }).locator('.task-status');
  assert.equal((await done.innerText()).trim(), 'Yes');
  assert.equal(await done.evaluate((el) => getComputedStyle(el).color), GREEN);
  await expectText(main(page).locator('tr', { hasText: title }), 'Completed', 'completion time');
  await r.a11y(page, 'tasks page after completing');
  await r.screenshot(page, 'tasks-after');

  // A task assigned now appears on the open page without a reload.
  await assign(staff, later);
  await main(page).locator('tr', { hasText: later }).waitFor({ timeout: 30_000 });
  await expectText(page.locator('#tasks-status'), 'outstanding task', 'screen readers are told');
  assert.equal(pathOf(page), '/tasks?m=task-done', 'no navigation happened');

  // Staff see who completed it.
  await openJane(staff);
  const staffRow = main(staff).locator('tr', { hasText: title });
  await expectText(staffRow, 'by the customer', 'completed by the customer');
  await staff.goto(url('acme', '/staff/tasks'));
  await expectText(main(staff), later, 'company-wide task list');
  await r.a11y(staff, 'console: tasks list');
});

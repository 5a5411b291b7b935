'use strict';
// Journeys of issue 6: a settlement customer's Debts page (current creditor
// in bold above the original one, the progress bar), the program account's
// statements (a PDF fetched from the page), the payment schedule and the
// Profile; a student-loan customer uploads the federal data file, enters
// income figures, sees estimates per plan and shares them; staff see the
// shared estimate and the console pages. axe-core on every page.

const path = require('node:path');
const assert = require('node:assert/strict');
const { suite, main, expectText, clickAndWait, signInCustomer, signInStaff, pathOf } = require('../lib');

const { e2e } = suite();

const SAMPLE = path.join(__dirname, '..', '..', 'crates', 'domain', 'fixtures', 'student_loans', 'sample.txt');
const NOT_THE_FORMAT = path.join(
  __dirname,
  '..',
  '..',
  'crates',
  'domain',
  'fixtures',
  'student_loans',
  'malformed_not_the_format.csv',
);

/** GET `href` from inside the page: status, content type, first bytes. */
function fetchHead(page, href, n = 5) {
  return page.evaluate(
    async ([h, len]) => {
      const res = await fetch(h);
      const bytes = new Uint8Array(await res.arrayBuffer());
      return {
        status: res.status,
        type: res.headers.get('content-type') || '',
        head: String.fromCharCode(...bytes.subarray(0, len)),
      };
    },
    [href, n],
  );
}

e2e('settlement customer: Debts with creditors, a statement PDF, schedule and profile', async (r) => {
  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'sam.settle@example.com');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await clickAndWait(page, nav.getByRole('link', { name: 'Debts' }));
  assert.equal(pathOf(page), '/debts');
  await page.getByRole('heading', { level: 1, name: 'Debts' }).waitFor();

  // Summary: an accessible progress bar with its figure in text.
  const bar = main(page).getByRole('progressbar', { name: 'Settlement progress' });
  assert.equal(await bar.getAttribute('value'), '48');
  await expectText(main(page), '48.36% of your enrolled debt is settled', 'progress in words');

  // Accounts: the current creditor in bold above the original creditor.
  const table = main(page).getByRole('table');
  const sold = table.getByRole('row').filter({ hasText: 'Midland Credit Management' });
  const cell = sold.getByRole('rowheader');
  const bold = cell.locator('strong');
  assert.equal((await bold.innerText()).trim(), 'Midland Credit Management');
  const weight = await bold.evaluate((el) => Number(getComputedStyle(el).fontWeight));
  assert.ok(weight >= 700, `current creditor is bold (${weight})`);
  const boxes = await cell.evaluate((el) => {
    const b = el.querySelector('.creditor-current').getBoundingClientRect();
    const o = el.querySelector('.creditor-original').getBoundingClientRect();
    return { current: b.top, original: o.top, text: el.querySelector('.creditor-original').textContent };
  });
  assert.ok(boxes.current < boxes.original, 'current creditor above the original');
  assert.match(boxes.text, /Capital One/);
  // Never sold: the same creditor twice.
  const chase = table.getByRole('row').filter({ hasText: 'Chase Bank' }).getByRole('rowheader');
  assert.equal((await chase.locator('.creditor-original').innerText()).trim(), 'Chase Bank');
  await expectText(sold, '••••2208', 'masked account number');
  await r.a11y(page, 'debts');

  // Program account: statements by month, a real PDF.
  await clickAndWait(page, nav.getByRole('link', { name: 'Program account' }));
  await page.getByRole('heading', { level: 1, name: 'Program account' }).waitFor();
  const statements = main(page).getByRole('region', { name: 'Monthly statements' });
  const links = statements.getByRole('link', { name: /Download PDF/ });
  assert.ok((await links.count()) >= 12, 'a year of statements (ended months only)');
  await r.a11y(page, 'program account');
  const href = await links.first().getAttribute('href');
  assert.match(href, /^\/program\/statements\/\d{4}-\d{2}\.pdf$/);
  const pdf = await fetchHead(page, href);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.type, 'application/pdf');
  assert.equal(pdf.head, '%PDF-');

  await clickAndWait(page, nav.getByRole('link', { name: 'Payment schedule' }));
  await page.getByRole('heading', { level: 1, name: 'Payment schedule' }).waitFor();
  await expectText(main(page), 'Next draft', 'next draft');
  await r.a11y(page, 'payment schedule');

  await clickAndWait(page, nav.getByRole('link', { name: 'Profile' }));
  await expectText(main(page), 'Lone Star Logistics', 'intake value on the profile');
  await r.a11y(page, 'profile');
});

e2e('student loans: a bad file is refused, the data file gives estimates, shared with the servicer', async (r) => {
  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'stu.loans@example.com');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await clickAndWait(page, nav.getByRole('link', { name: 'Student loans' }));
  await page.getByRole('heading', { level: 1, name: 'Student loans' }).waitFor();
  await r.a11y(page, 'student loans');

  // Not the federal format: refused, the message beside the field.
  await page.getByLabel('Data file (MyStudentData.txt)').setInputFiles(NOT_THE_FORMAT);
  await clickAndWait(page, page.getByRole('button', { name: 'Upload and read my loans' }));
  await expectText(main(page), 'This file was not accepted', 'bad file refused');
  assert.equal(
    await page.getByLabel('Data file (MyStudentData.txt)').getAttribute('aria-invalid'),
    'true',
    'the field is marked',
  );
  await r.a11y(page, 'student loans: file refused');

  await page.getByLabel('Data file (MyStudentData.txt)').setInputFiles(SAMPLE);
  await clickAndWait(page, page.getByRole('button', { name: 'Upload and read my loans' }));
  await expectText(main(page), 'Your data file was read', 'upload accepted');
  const loans = main(page).getByRole('region', { name: 'Your federal loans' });
  await expectText(loans, 'DIRECT STAFFORD SUBSIDIZED', 'loans from the file');

  // Income figures: a negative income is refused; then estimates.
  await page.getByLabel('Adjusted gross income (AGI)').fill('-5');
  await clickAndWait(page, page.getByRole('button', { name: 'See my estimates' }));
  await expectText(main(page), 'cannot be negative', 'negative AGI refused');
  await page.getByLabel('Adjusted gross income (AGI)').fill('61000');
  await page.getByLabel('Family size').fill('3');
  await page.getByLabel('Dependents').fill('1');
  await page.getByLabel('State').selectOption('TX');
  await page.getByLabel('Tax filing status').selectOption('married_joint');
  await clickAndWait(page, page.getByRole('button', { name: 'See my estimates' }));
  const estimates = main(page).getByRole('region', { name: 'Repayment estimates' });
  await expectText(estimates, 'These are estimates, not offers.', 'labelled as estimates');
  await expectText(estimates, '$26,650.00', '2025 guideline for a family of 3');
  for (const plan of ['Standard (10 years)', 'Income-Based Repayment (IBR)', 'Repayment Assistance Plan (RAP)']) {
    await estimates.getByRole('heading', { level: 3, name: plan }).waitFor();
  }
  await r.a11y(page, 'student loans: estimates');

  await clickAndWait(page, estimates.getByRole('button', { name: 'Share with my servicer' }));
  assert.match(pathOf(page), /^\/student-loans\/estimates\/\d+(\?m=shared)?$/);
  await expectText(main(page), 'was sent to Acme Capital', 'shared');
  await r.a11y(page, 'shared estimate');
  await clickAndWait(page, nav.getByRole('link', { name: 'Programs' }));
  await expectText(main(page), 'Sent, awaiting review', 'listed on Programs');
  await r.a11y(page, 'programs');

  // Staff: the shared estimate in the console, and the settlement pages.
  const staff = await r.newPage();
  await signInStaff(staff, 'acme', 'servicer@acme.example');
  await clickAndWait(staff, staff.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Shared estimates' }));
  await expectText(main(staff), 'Stu Loans', 'estimate in the queue');
  await r.a11y(staff, 'console: shared estimates');
  await clickAndWait(staff, main(staff).getByRole('link', { name: /^SL-/ }).first());
  await expectText(main(staff), 'Figures the customer entered', 'estimate detail');
  await r.a11y(staff, 'console: estimate');
  await clickAndWait(staff, main(staff).getByRole('link', { name: 'Record a plan' }));
  await r.a11y(staff, 'console: student loans');
});

e2e('console: a settlement program and the settings', async (r) => {
  const page = await r.newPage();
  await signInStaff(page, 'acme', 'admin@acme.example');
  await page.goto(page.url().replace(/\/staff\/contacts.*$/, '/staff/contacts?q=Settle'));
  await clickAndWait(page, main(page).getByRole('link', { name: /Settle/ }).first());
  const panel = main(page).getByRole('region', { name: 'Settlement program and student loans' });
  await clickAndWait(page, panel.getByRole('link', { name: 'Settlement program' }));
  await page.getByRole('heading', { level: 1, name: 'Settlement program' }).waitFor();
  await r.a11y(page, 'console: settlement program');
  await page.getByText('Add a debt').click();
  await clickAndWait(page, page.getByRole('button', { name: 'Add debt' }));
  await expectText(main(page), 'Enter the original creditor', 'a debt without creditor is refused');
  await r.a11y(page, 'console: debt refused');
  await clickAndWait(page, main(page).getByRole('link', { name: /^Edit/ }).first());
  await r.a11y(page, 'console: edit debt');
  await page.goto(page.url().replace(/\/staff\/.*$/, '/staff/settings/settlement'));
  await page.getByRole('heading', { name: 'Profile fields' }).waitFor();
  await r.a11y(page, 'console: settlement settings');
});

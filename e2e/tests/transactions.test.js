'use strict';
// Journey: the Transactions page shaped by the customer — columns chosen
// and ordered, sorting by a header, a type filter, a reversed date range
// (refused, typed dates kept) — and the CSV export of that view.

const assert = require('node:assert/strict');
const { suite, main, expectText, clickAndWait, signInCustomer, pathOf } = require('../lib');

const { e2e } = suite();

/** "$1,234.56" / "+$1.00" / "-$1.00" → cents. */
function cents(s) {
  const m = String(s).trim().match(/^([-+]?)\$([\d,]+)\.(\d\d)$/);
  assert.ok(m, `a money amount: ${JSON.stringify(s)}`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2].replace(/,/g, '')) * 100 + Number(m[3]));
}

/** The number in the results heading, "280 transactions". */
async function count(page) {
  const text = (await page.getByRole('heading', { level: 2, name: /^\d+ transactions?$/ }).innerText()).trim();
  return Number(text.split(' ')[0]);
}

/** Column headers as written (not upper-cased by CSS), without the sort arrows. */
async function headers(page) {
  return (await main(page).locator('table thead th').allTextContents()).map((s) => s.replace(/[↑↓]/g, '').trim());
}

/** The <details> panel whose summary reads `name`, opened. */
async function openPanel(page, name) {
  const panel = main(page).locator('details.filters').filter({ has: page.locator('summary', { hasText: name }) });
  if ((await panel.getAttribute('open')) === null) await panel.locator('summary').click();
  await panel.locator('form').waitFor({ state: 'visible' });
  return panel;
}

/** GET `href` from inside the page (same origin, the page's cookies). */
function fetchText(page, href) {
  return page.evaluate(async (h) => {
    const res = await fetch(h);
    return { status: res.status, type: res.headers.get('content-type') || '', text: await res.text() };
  }, href);
}

e2e('transactions: choose columns, sort by amount, filter by type, reversed dates refused, CSV export', async (r) => {
  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'jane.doe');
  await clickAndWait(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transactions' }));
  assert.equal(pathOf(page), '/transactions');
  await page.getByRole('heading', { level: 1, name: 'Transactions' }).waitFor();
  const all = await count(page);
  assert.ok(all > 25, `Jane has more than a page of transactions (${all})`);
  await r.a11y(page, 'transactions');

  // Columns: Amount, then Date, nothing else.
  const columns = await openPanel(page, 'Columns');
  await columns.getByLabel('Column 1', { exact: true }).selectOption({ label: 'Amount' });
  await columns.getByLabel('Column 2', { exact: true }).selectOption({ label: 'Date' });
  const slots = await columns.getByRole('combobox').count();
  for (let i = 3; i <= slots; i += 1) await columns.getByLabel(`Column ${i}`, { exact: true }).selectOption({ label: '—' });
  await r.a11y(page, 'transactions: columns panel');
  await clickAndWait(page, columns.getByRole('button', { name: 'Show columns' }));
  assert.deepEqual(await headers(page), ['Amount', 'Date']);
  assert.equal(await count(page), all, 'choosing columns filters nothing');

  // Sort by Amount: descending, then ascending.
  const amountHeader = () => main(page).locator('table thead th').nth(0);
  assert.equal(await amountHeader().getAttribute('aria-sort'), 'none');
  assert.equal(await main(page).locator('table thead th').nth(1).getAttribute('aria-sort'), 'descending', 'by date at first');
  await clickAndWait(page, amountHeader().getByRole('link', { name: /^Amount/ }));
  assert.equal(await amountHeader().getAttribute('aria-sort'), 'descending');
  assert.equal(await main(page).locator('table thead th').nth(1).getAttribute('aria-sort'), 'none');
  assert.deepEqual(await headers(page), ['Amount', 'Date'], 'sorting keeps the chosen columns');
  // Amounts carry their sign (+ owed, - paid) and sort by size.
  let amounts = (await main(page).locator('table tbody tr td:first-child').allInnerTexts()).map((t) => Math.abs(cents(t)));
  assert.deepEqual(amounts, [...amounts].sort((a, b) => b - a), 'amounts are in descending order');
  await clickAndWait(page, amountHeader().getByRole('link', { name: /^Amount/ }));
  assert.equal(await amountHeader().getAttribute('aria-sort'), 'ascending');
  amounts = (await main(page).locator('table tbody tr td:first-child').allInnerTexts()).map((t) => Math.abs(cents(t)));
  assert.deepEqual(amounts, [...amounts].sort((a, b) => a - b), 'amounts are in ascending order');
  await r.a11y(page, 'transactions: two columns, sorted by amount');

  // Filter: fees only.
  let filter = await openPanel(page, 'Filter');
  await filter.getByRole('checkbox', { name: 'Fee', exact: true }).check();
  await clickAndWait(page, filter.getByRole('button', { name: 'Apply filters' }));
  const fees = await count(page);
  assert.ok(fees > 0 && fees < all, `fees are some of the transactions (${fees} of ${all})`);
  assert.deepEqual(await headers(page), ['Amount', 'Date'], 'filtering keeps the chosen columns');
  assert.equal(await amountHeader().getAttribute('aria-sort'), 'ascending', 'filtering keeps the sort');
  filter = await openPanel(page, 'Filter');
  assert.ok(await filter.getByRole('checkbox', { name: 'Fee', exact: true }).isChecked(), 'the Fee box stays ticked');

  // A reversed date range: refused, and the typed dates stay.
  await filter.getByLabel('From').fill('2026-05-01');
  await filter.getByLabel('To').fill('2026-01-01');
  const answer = page.waitForResponse((res) => new URL(res.url()).pathname === '/transactions' && res.request().resourceType() === 'document');
  await clickAndWait(page, filter.getByRole('button', { name: 'Apply filters' }));
  assert.equal((await answer).status(), 400, 'a reversed range is a 400');
  await expectText(page.getByRole('alert'), 'start date is after the end date', 'reversed-range error');
  filter = await openPanel(page, 'Filter');
  assert.equal(await filter.getByLabel('From').inputValue(), '2026-05-01', 'typed From date kept');
  assert.equal(await filter.getByLabel('To').inputValue(), '2026-01-01', 'typed To date kept');
  assert.equal(await count(page), fees, 'all dates are shown instead; the type filter still applies');
  await r.a11y(page, 'transactions: reversed date range');

  // The CSV export of this view: the chosen columns, the filtered rows.
  const href = await main(page).getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  assert.match(href, /^\/transactions\.csv\?/);
  const csv = await fetchText(page, href);
  assert.equal(csv.status, 200);
  assert.match(csv.type, /^text\/csv/);
  const lines = csv.text.split('\r\n').filter((l) => l !== '');
  assert.equal(lines[0], '"Amount","Date"', 'the header is the chosen columns');
  assert.equal(lines.length - 1, fees, 'one line per filtered transaction');
  // Plain signed numbers, in the page's order (issue 19 #8).
  const plain = lines.slice(1).map((l) => l.split(',')[0].replace(/"/g, ''));
  for (const v of plain) assert.match(v, /^-?\d+\.\d\d$/, `a plain amount: ${v}`);
});

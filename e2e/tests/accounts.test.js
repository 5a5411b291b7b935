'use strict';
// Journeys through Jane's accounts: the installment loan's summary charts
// (their readouts reachable by keyboard), breakdown and paged transactions;
// the lease's collateral; the line of credit's statement PDF; and another
// customer's or a missing account is a 404.

const assert = require('node:assert/strict');
const { suite, url, main, expectText, clickAndWait, signInCustomer, pathOf } = require('../lib');

const { e2e } = suite();

/**
 * GET `href` from inside the page (same origin, the page's cookies; Node
 * itself can't resolve *.localhost): status, content type, first bytes.
 */
function fetchHead(page, href, n = 5) {
  return page.evaluate(async ([h, len]) => {
    const res = await fetch(h);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return {
      status: res.status,
      type: res.headers.get('content-type') || '',
      head: String.fromCharCode(...bytes.subarray(0, len)),
    };
  }, [href, n]);
}

/**
 * Press Tab until the focused element matches `selector`; return a locator
 * for that element (the nth match of `selector`), which stays put when
 * focus moves on.
 */
async function tabTo(page, selector, max = 60) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const n = await page.evaluate(
      (s) => [...document.querySelectorAll(s)].indexOf(document.activeElement),
      selector,
    );
    if (n >= 0) return page.locator(selector).nth(n);
  }
  assert.fail(`${selector} was not reached with ${max} presses of Tab`);
}

const visibility = (locator) => locator.evaluate((el) => getComputedStyle(el).visibility);

/** Open one of the account's tabs ("Account sections" navigation). */
async function openTab(page, name) {
  const tabs = page.getByRole('navigation', { name: 'Account sections' });
  await clickAndWait(page, tabs.getByRole('link', { name, exact: true }));
  assert.equal(await tabs.getByRole('link', { name, exact: true }).getAttribute('aria-current'), 'page', `${name} tab is current`);
}

async function openAccount(page, number) {
  await page.goto(url('acme', '/accounts'));
  await clickAndWait(page, main(page).getByRole('link', { name: number, exact: true }));
  await page.getByRole('heading', { level: 1, name: number }).waitFor();
}

e2e('installment loan: summary charts (keyboard readouts), breakdown, transactions with paging', async (r) => {
  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'jane.doe');

  await clickAndWait(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }));
  assert.equal(pathOf(page), '/accounts');
  await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
  await expectText(main(page).locator('.lead'), 'Total balance');
  const numbers = (await main(page).locator('.account-card h2').allInnerTexts()).map((s) => s.trim()).sort();
  assert.deepEqual(numbers, ['LC-300112', 'LN-100234', 'LS-200871'], 'loans, leases and lines; no advances');
  assert.ok(!(await main(page).innerText()).includes('CA-'), 'no cash advance on the Accounts page');
  await r.a11y(page, 'accounts');

  // The loan opens on its summary.
  await clickAndWait(page, main(page).getByRole('link', { name: 'LN-100234', exact: true }));
  assert.match(pathOf(page), /^\/accounts\/\d+\/summary$/);
  const summaryPath = pathOf(page);
  await page.getByRole('heading', { level: 1, name: 'LN-100234' }).waitFor();
  assert.equal(
    await page.getByRole('navigation', { name: 'Account sections' }).getByRole('link', { name: 'Summary' }).getAttribute('aria-current'),
    'page',
  );
  const pie = main(page).locator('.chart-pie svg[role="img"]');
  const line = main(page).locator('.chart-line svg[role="img"]');
  await pie.waitFor();
  await line.waitFor();
  await main(page).getByRole('rowheader', { name: 'Principal remaining' }).waitFor();
  await r.a11y(page, 'account summary (installment loan)');

  // Hover details are keyboard-reachable: Tab onto a pie segment, then a
  // line-chart point; each one's in-chart readout becomes visible. (The
  // mouse is parked on the header so no hover gets in the way.)
  await page.mouse.move(0, 0);
  const seg = await tabTo(page, '.chart-seg');
  const segTip = seg.locator('.chart-tip');
  assert.equal(await visibility(segTip), 'visible', 'the focused pie segment shows its readout');
  assert.ok((await segTip.textContent()).includes('$'), 'the pie readout has an amount');
  const firstPoint = main(page).locator('.chart-point').first();
  assert.equal(await visibility(firstPoint.locator('.chart-tip')), 'hidden', 'point readouts start hidden');
  const point = await tabTo(page, '.chart-point');
  const tip = point.locator('.chart-tip');
  assert.equal(await visibility(tip), 'visible', 'the focused chart point shows its readout');
  assert.match(await tip.textContent(), /\$/, 'the point readout has amounts');
  await page.keyboard.press('Tab');
  assert.equal(await visibility(tip), 'hidden', 'the readout hides again when focus moves on');

  // The breakdown: the full 60-payment schedule.
  await clickAndWait(page, main(page).getByRole('link', { name: 'See breakdown' }));
  assert.equal(pathOf(page), summaryPath.replace(/summary$/, 'breakdown'));
  await page.getByRole('heading', { level: 2, name: 'Payment-by-payment breakdown' }).waitFor();
  const schedule = main(page).locator('table tbody tr');
  assert.equal(await schedule.count(), 60, 'a 60-payment schedule');
  assert.equal((await schedule.first().locator('td').first().innerText()).trim(), '1');
  assert.equal((await schedule.last().locator('td').last().innerText()).trim(), '$0.00', 'the schedule ends at zero');
  await r.a11y(page, 'account breakdown');

  // Transactions, with the payment split, and the second page.
  await openTab(page, 'Transactions');
  const heads = (await main(page).locator('table thead th').allInnerTexts()).map((s) => s.trim().toLowerCase());
  for (const col of ['principal', 'interest', 'fees']) assert.ok(heads.includes(col), `${col} column in ${JSON.stringify(heads)}`);
  const pages = page.getByRole('navigation', { name: 'Pages' });
  await expectText(pages, 'Page 1');
  const firstPageDates = await main(page).locator('table tbody tr td:first-child').allInnerTexts();
  assert.equal(firstPageDates.length, 25, 'a full first page');
  await r.a11y(page, 'account transactions');
  await clickAndWait(page, pages.getByRole('link', { name: /Older/ }));
  assert.match(pathOf(page), /\/transactions\?page=2$/);
  await expectText(pages, 'Page 2');
  await pages.getByRole('link', { name: /Newer/ }).waitFor();
  const rows2 = main(page).locator('table tbody tr');
  assert.ok((await rows2.count()) > 0, 'page 2 has rows');
  assert.notDeepEqual(await rows2.locator('td:first-child').allInnerTexts(), firstPageDates, 'page 2 is other rows');
  await expectText(rows2.locator('td:nth-child(2)'), 'Funding', 'the oldest page ends with the funding');
  await r.a11y(page, 'account transactions page 2');
});

e2e('lease: collateral shows the vehicle with its VIN', async (r) => {
  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'jane.doe');
  await openAccount(page, 'LS-200871');
  await openTab(page, 'Collateral');
  await page.getByRole('heading', { level: 2, name: 'Collateral' }).waitFor();
  const ids = await main(page).locator('table tbody tr td:nth-child(3)').allInnerTexts();
  assert.ok(ids.some((s) => /^VIN [A-HJ-NPR-Z0-9]{17}$/.test(s.trim())), `a VIN among ${JSON.stringify(ids)}`);
  await r.a11y(page, 'lease collateral');
});

e2e('line of credit: statements list, and a statement is a PDF', async (r) => {
  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'jane.doe');
  await openAccount(page, 'LC-300112');
  // A line of credit has no summary: it opens on its transactions.
  assert.match(pathOf(page), /^\/accounts\/\d+\/transactions$/);
  const tabNames = await page.getByRole('navigation', { name: 'Account sections' }).getByRole('link').allInnerTexts();
  assert.deepEqual(tabNames.map((s) => s.trim()), ['Transactions', 'Statements', 'Documents']);
  await openTab(page, 'Statements');
  const pdf = main(page).getByRole('link', { name: /^PDF statement / }).first();
  const href = await pdf.getAttribute('href');
  assert.match(href, /^\/accounts\/\d+\/statements\/\d+\.pdf$/);
  await r.a11y(page, 'line of credit statements');
  const res = await fetchHead(page, href);
  assert.equal(res.status, 200);
  assert.match(res.type, /^application\/pdf/);
  assert.equal(res.head, '%PDF-', 'the statement is a PDF');
});

e2e('accounts that are not yours, or do not exist, are a 404', async (r) => {
  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'jane.doe');

  const missing = await page.goto(url('acme', '/accounts/999999/summary'));
  assert.equal(missing.status(), 404);
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  await r.a11y(page, '404 page (portal)');

  // Jane's own account ids; the next ids belong to the demo's other customers.
  await page.goto(url('acme', '/accounts'));
  const own = await main(page).locator('.account-card h2 a').evaluateAll((as) => as.map((a) => Number(a.getAttribute('href').split('/').pop())));
  await page.goto(url('acme', '/advances'));
  own.push(...(await main(page).locator('.advance-card .reveal a').evaluateAll((as) => as.map((a) => Number(a.getAttribute('href').split('/').pop())))));
  assert.equal(own.length, 5);
  const other = Math.max(...own) + 1;
  for (const p of [`/accounts/${other}`, `/accounts/${other}/summary`, `/accounts/${other}/transactions`, `/advances/${other}`, '/accounts/abc/summary']) {
    const res = await page.goto(url('acme', p));
    assert.equal(res.status(), 404, `${p} is a 404`);
  }
});

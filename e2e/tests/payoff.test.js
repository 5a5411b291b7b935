'use strict';
// Journey: from the dashboard's balances to a payoff request — nothing
// chosen is refused, two accounts are quoted (good-through date, per diem,
// total), the request is confirmed and the payoff letter downloads as a PDF.

const fs = require('node:fs');
const assert = require('node:assert/strict');
const { suite, main, expectText, clickAndWait, signInCustomer, pathOf, detail } = require('../lib');

const { e2e } = suite();

/** "$1,234.56" / "-$1.00" → cents. */
function cents(s) {
  const m = String(s).replace(/\s+/g, '').match(/^(-?)\$([\d,]+)\.(\d\d)$/);
  assert.ok(m, `a money amount: ${JSON.stringify(s)}`);
  return (m[1] ? -1 : 1) * (Number(m[2].replace(/,/g, '')) * 100 + Number(m[3]));
}

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

e2e('dashboard → payoff: nothing chosen is refused, two accounts quoted, confirmed, letter is a PDF', async (r) => {
  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'jane.doe');
  assert.equal(pathOf(page), '/');

  // Dashboard figures.
  const balances = page.getByRole('region', { name: 'Balances' });
  await expectText(balances, 'Total owed, accounts and advances', 'total owed figure');
  const totalCard = balances.locator('.card').filter({ hasText: 'Total owed' });
  const total = cents((await totalCard.locator('.figure').innerText()).trim());
  // The total says what it adds up, and the parts add up to it (issue 19 #6).
  const parts = (await totalCard.locator('p.small:not(.muted)').innerText()).match(/Accounts (\$[\d,.]+) · Advances (\$[\d,.]+)/);
  assert.ok(parts, 'the total is broken down into accounts and advances');
  assert.equal(cents(parts[1]) + cents(parts[2]), total, 'accounts + advances = total owed');
  const next = balances.locator('.card').filter({ hasText: 'Next payment due' });
  const nextFigure = (await next.locator('.figure').innerText()).trim();
  assert.notEqual(nextFigure, '—', 'Jane has a next payment due');
  cents(nextFigure);
  assert.ok((await next.locator('p.small:not(.muted)').first().innerText()).trim().length > 0, 'the next payment has a date');
  await r.a11y(page, 'dashboard with balances');

  await clickAndWait(page, balances.getByRole('link', { name: 'Request payoff' }));
  assert.equal(pathOf(page), '/payoff');
  await page.getByRole('heading', { level: 1, name: 'Request payoff' }).waitFor();
  const boxes = main(page).getByRole('group', { name: 'Accounts' }).getByRole('checkbox');
  assert.equal(await boxes.count(), 5, 'one checkbox per account');
  await r.a11y(page, 'payoff: choose accounts');

  // Nothing chosen: 422, the form again with an error.
  const refused = page.waitForResponse((res) => res.url().endsWith('/payoff/quote') && res.request().method() === 'POST');
  await clickAndWait(page, page.getByRole('button', { name: 'See payoff quote' }));
  assert.equal((await refused).status(), 422, 'an empty choice is a 422');
  await expectText(page.getByRole('alert'), 'Choose at least one account', 'empty-choice error');
  assert.equal(await boxes.count(), 5, 'the form is shown again');
  await page.getByRole('button', { name: 'See payoff quote' }).waitFor();
  await r.a11y(page, 'payoff: nothing chosen');

  // The installment loan and the line of credit.
  await main(page).getByRole('checkbox', { name: /LN-100234/ }).check();
  await main(page).getByRole('checkbox', { name: /LC-300112/ }).check();
  await clickAndWait(page, page.getByRole('button', { name: 'See payoff quote' }));
  assert.equal(pathOf(page), '/payoff/quote');
  const lead = main(page).locator('p.lead');
  await expectText(lead, 'good through', 'good-through sentence');
  assert.ok((await lead.locator('strong').innerText()).trim().length > 0, 'a good-through date');
  const table = main(page).getByRole('table', { name: 'Payoff quote' });
  const headers = (await table.locator('thead th').allInnerTexts()).map((s) => s.trim().toLowerCase());
  assert.ok(headers.includes('per diem'), `a per-diem column in ${JSON.stringify(headers)}`);
  const rows = table.locator('tbody tr');
  const numbers = (await rows.locator('td:first-child').allInnerTexts()).map((s) => s.trim()).sort();
  assert.deepEqual(numbers, ['LC-300112', 'LN-100234'], 'the two chosen accounts are quoted');
  const perDiem = await rows.locator(`td:nth-child(${headers.indexOf('per diem') + 1})`).allInnerTexts();
  for (const p of perDiem) assert.ok(cents(p) >= 0, `per diem ${p}`);
  const lineTotals = (await rows.locator('td:last-child').allInnerTexts()).map(cents);
  const foot = table.locator('tfoot tr');
  await expectText(foot.locator('th'), 'Total');
  const quoted = cents(await foot.locator('td').innerText());
  assert.equal(quoted, lineTotals.reduce((a, b) => a + b, 0), 'the total is the sum of the lines');
  await r.a11y(page, 'payoff: quote');

  // Confirm.
  await clickAndWait(page, page.getByRole('button', { name: 'Confirm payoff request' }));
  const m = pathOf(page).match(/^\/payoff\/(PO-[A-Za-z0-9-]+)$/);
  assert.ok(m, `the confirmation has its own address: ${pathOf(page)}`);
  const reference = m[1];
  await expectText(page.getByRole('status'), `Your payoff request ${reference} was sent`);
  assert.equal((await detail(main(page), 'Reference').innerText()).trim(), reference);
  assert.equal(cents(await detail(main(page), 'Total').innerText()), quoted, 'the confirmed total is the quoted one');
  await r.a11y(page, 'payoff: requested');

  // The letter: a real download, and a PDF.
  const link = page.getByRole('link', { name: 'Download payoff letter (PDF)' });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.match(download.suggestedFilename(), /\.pdf$/, 'the letter is offered as a .pdf file');
  const file = await download.path();
  const head = fs.readFileSync(file).subarray(0, 5).toString('latin1');
  assert.equal(head, '%PDF-', 'the downloaded letter is a PDF');
  // The same address, fetched by the page (with its cookies): served as a PDF.
  const res = await fetchHead(page, await link.getAttribute('href'));
  assert.equal(res.status, 200);
  assert.match(res.type, /^application\/pdf/);
  assert.equal(res.head, '%PDF-');
});

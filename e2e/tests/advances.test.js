'use strict';
// Journey: the Advances page — its figures, each card's "Click to view
// advance details" link that appears on hover and on keyboard focus — and
// an advance's details.

const assert = require('node:assert/strict');
const { suite, url, main, expectText, clickAndWait, signInCustomer, pathOf, detail } = require('../lib');

const { e2e } = suite();

/** Computed opacity of `locator`'s element, as a number. */
const opacity = (locator) => locator.evaluate((el) => Number(getComputedStyle(el).opacity));

/** Wait until the computed opacity is `want` (the reveal has a short transition). */
async function opacityBecomes(locator, want, msg) {
  const handle = await locator.elementHandle();
  await handle
    .evaluate(
      (el, w) =>
        new Promise((resolve, reject) => {
          const deadline = Date.now() + 5000;
          (function poll() {
            if (Number(getComputedStyle(el).opacity) === w) resolve();
            else if (Date.now() > deadline) reject(new Error(`opacity ${getComputedStyle(el).opacity}`));
            else requestAnimationFrame(poll);
          })();
        }),
      want,
    )
    .catch((e) => assert.fail(`${msg}: ${e.message}`));
}

/** "$1,234.56" → cents. */
function cents(s) {
  const m = String(s).trim().match(/^(-?)\$([\d,]+)\.(\d\d)$/);
  assert.ok(m, `a money amount: ${JSON.stringify(s)}`);
  return (m[1] ? -1 : 1) * (Number(m[2].replace(/,/g, '')) * 100 + Number(m[3]));
}

e2e('advances: details link appears on hover and on keyboard focus; the advance has its figures', async (r) => {
  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'jane.doe');
  await clickAndWait(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Advances' }));
  assert.equal(pathOf(page), '/advances');
  await page.getByRole('heading', { level: 1, name: 'Advances' }).waitFor();

  const figures = main(page).locator('.account-figures .card');
  assert.equal((await figures.filter({ hasText: /^\s*Advances/ }).locator('.figure').innerText()).trim(), '2');
  cents(await figures.filter({ hasText: 'Total balance' }).locator('.figure').innerText());
  const cards = main(page).locator('.advance-card');
  assert.equal(await cards.count(), 2);
  await r.a11y(page, 'advances');

  const card = cards.first();
  const number = (await card.locator('h2').innerText()).trim();
  const reveal = card.locator('.reveal');
  const link = reveal.getByRole('link', { name: `Click to view advance details for ${number}` });

  // Hidden until hovered…
  await page.mouse.move(0, 0);
  assert.equal(await opacity(reveal), 0, 'the details link is invisible before hover');
  await card.hover();
  await opacityBecomes(reveal, 1, 'the details link shows while the card is hovered');
  await page.mouse.move(0, 0);
  await opacityBecomes(reveal, 0, 'and hides again when the pointer leaves');

  // …and when reached with the keyboard.
  for (let i = 0; i < 40 && !(await link.evaluate((el) => el === document.activeElement)); i += 1) {
    await page.keyboard.press('Tab');
  }
  assert.ok(await link.evaluate((el) => el === document.activeElement), 'Tab reaches the details link');
  await opacityBecomes(reveal, 1, 'the details link shows while it has keyboard focus');

  await clickAndWait(page, link);
  assert.match(pathOf(page), /^\/advances\/\d+$/);
  await page.getByRole('heading', { level: 1, name: `Advance ${number}` }).waitFor();
  const details = page.getByRole('region', { name: 'Advance details' });
  assert.match((await detail(details, 'Factor rate').innerText()).trim(), /^\d+(\.\d+)?$/);
  cents(await detail(details, 'Total payback').innerText());
  assert.ok((await detail(details, 'Expected completion').innerText()).trim().length > 0);
  await expectText(main(page), 'See debits and transactions');
  await r.a11y(page, 'advance details');
});

// Found by this suite: "Paid back" showed 4417 % for 44 % (the percentage
// was multiplied by 100 again) and the progress bar was full.
e2e(
  'advances: "Paid back" is the share of the payback remitted, and the progress bar shows it',
  async (r) => {
    const page = await r.newPage();
    await signInCustomer(page, 'acme', 'jane.doe');
    await page.goto(url('acme', '/advances'));
    const cards = main(page).locator('.advance-card');
    const shownOnList = [];
    for (let i = 0; i < (await cards.count()); i += 1) {
      const card = cards.nth(i);
      shownOnList.push({
        number: (await card.locator('h2').innerText()).trim(),
        shown: (await detail(card, 'Paid back').innerText()).trim(),
        bar: Number(await card.getByRole('progressbar').getAttribute('value')),
        href: await card.locator('.reveal a').getAttribute('href'),
      });
    }
    assert.ok(shownOnList.length > 0);
    const problems = [];
    for (const { number, shown, bar, href } of shownOnList) {
      await page.goto(url('acme', href));
      const d = page.getByRole('region', { name: 'Advance details' });
      const remitted = cents(await detail(d, 'Remitted to date').innerText());
      const payback = cents(await detail(d, 'Total payback').innerText());
      const exact = (100 * remitted) / payback;
      const m = shown.match(/^(\d+) %$/);
      if (!m || Math.abs(Number(m[1]) - exact) > 0.51) {
        problems.push(`${number}: "Paid back" shows "${shown}", expected about ${exact.toFixed(2)} %`);
      }
      if (Math.abs(bar - exact) > 0.51) problems.push(`${number}: the progress bar's value is ${bar}, expected about ${exact.toFixed(2)}`);
    }
    assert.deepEqual(problems, []);
  }
);

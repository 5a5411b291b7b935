'use strict';
// Documents (issue 5): a new customer's onboarding with a statement choice
// and a drag-and-drop upload (with its progress bar) into a required type;
// the library's filter, search and preview; the account's Documents tab
// ("New"); a refused file; the console's Documents tab and staff upload.
// axe-core on each page.
//
// Uses the documents onboarding customer Owen Upton (owen.upton@example.com),
// not Nora (customer-onboarding.test.js), so both run in either order.

const assert = require('node:assert/strict');
const { suite, url, main, expectText, clickAndWait, signInCustomer, signInStaff, pathOf } = require('../lib');

const { e2e } = suite();

/** A PDF of about `size` bytes (a real header, padded). */
function pdfBytes(title, size = 2000) {
  const head = `%PDF-1.4\n% ${title}\n`;
  return head + ' '.repeat(Math.max(0, size - head.length)) + '\n%%EOF\n';
}

/** Drop files onto the drop zone as a user dragging them from the desktop would. */
async function dropFiles(page, zone, files) {
  const dt = await page.evaluateHandle((fs) => {
    const d = new DataTransfer();
    for (const f of fs) d.items.add(new File([f.body], f.name, { type: f.type }));
    return d;
  }, files);
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await zone.dispatchEvent(type, { dataTransfer: dt });
  }
}

e2e('onboarding: statement choice, then drag-and-drop upload with progress completes onboarding', async (r) => {
  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'owen.upton@example.com');
  assert.equal(pathOf(page), '/onboarding');
  await page.getByLabel('Date of birth').fill('1990-07-21');
  await page.getByLabel('Last four digits of your Social Security number').fill('5678');
  await clickAndWait(page, page.getByRole('button', { name: 'Continue' }));

  // Statement delivery comes first.
  assert.equal(pathOf(page), '/onboarding', 'requirements keep the customer in onboarding');
  await page.getByRole('heading', { level: 1, name: 'How would you like your statements?' }).waitFor();
  await r.a11y(page, 'onboarding: statement delivery');
  await clickAndWait(page, page.getByRole('button', { name: 'Continue' }));
  await expectText(main(page), 'Choose paper or paperless statements.', 'no choice: a message beside the field');
  await page.getByLabel(/Paperless/).check();
  await clickAndWait(page, page.getByRole('button', { name: 'Continue' }));

  // Then the required document.
  await page.getByRole('heading', { level: 1, name: 'Documents we need' }).waitFor();
  await expectText(page.locator('.required-docs'), 'Proof of income');
  await r.a11y(page, 'onboarding: required documents');
  await r.screenshot(page, 'documents-onboarding-required');

  // Slow the upload down so the progress bar can be seen moving.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: 400 * 1024,
  });
  const zone = page.locator('[data-dropzone]');
  await dropFiles(page, zone, [{ name: 'pay stub.pdf', type: 'application/pdf', body: pdfBytes('pay stub', 1_200_000) }]);
  await expectText(page.locator('[data-file-list]'), 'pay stub.pdf', 'dropped file listed');
  await expectText(page.locator('[data-status]'), '1 file ready to upload');
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.locator('[data-progress]').waitFor({ state: 'visible' });
  await page.waitForFunction(() => {
    const p = document.querySelector('[data-progress] progress');
    return p && p.value > 0 && p.value < 100;
  });
  await r.screenshot(page, 'documents-onboarding-progress');
  await page.waitForURL((u) => u.pathname === '/' && u.search === '?m=onboarding-done', { timeout: 30_000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.getByRole('heading', { level: 1, name: 'Welcome, Owen U.' }).waitFor();
  await expectText(page.getByRole('status'), "you're all set");

  // The upload is in the library.
  await clickAndWait(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Documents' }));
  const group = page.getByRole('region', { name: /Proof of income/ });
  await expectText(group, 'pay stub.pdf');
  await r.a11y(page, 'library after onboarding');
});

e2e('library: filter, search, preview, account tab upload, refused file', async (r) => {
  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'jane.doe');
  await clickAndWait(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Documents' }));
  await page.getByRole('heading', { level: 1, name: 'Documents' }).waitFor();
  await r.a11y(page, 'document library');
  await r.screenshot(page, 'documents-library');

  // Filter by type.
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Contracts' });
  await clickAndWait(page, page.getByRole('button', { name: 'Find' }));
  const headings = await main(page).locator('h2').allInnerTexts();
  assert.ok(headings.some((h) => h.startsWith('Contracts')), `contracts shown: ${headings}`);
  assert.ok(!headings.some((h) => h.startsWith('Statements')), `only contracts: ${headings}`);
  // Search by name.
  await clickAndWait(page, page.getByRole('link', { name: 'Show all' }));
  await page.getByLabel('Search by name').fill('welcome');
  await clickAndWait(page, page.getByRole('button', { name: 'Find' }));
  await expectText(page.getByRole('status').first(), '1 document found');
  await expectText(main(page), 'Welcome to Acme Capital.pdf');
  await r.a11y(page, 'library search results');

  // Preview a PDF: framed inline, never executed as a page of ours.
  await clickAndWait(page, page.getByRole('link', { name: 'Show all' }));
  await clickAndWait(page, main(page).getByRole('link', { name: 'Loan agreement (signed).pdf', exact: true }));
  await page.getByRole('heading', { level: 1, name: 'Loan agreement (signed).pdf' }).waitFor();
  const frame = page.locator('iframe[title="Preview of Loan agreement (signed).pdf"]');
  await frame.waitFor();
  const src = await frame.getAttribute('src');
  // Same-origin fetches from the page (the demo host names resolve in the browser only).
  const head = (path) =>
    page.evaluate(async (p) => {
      const res = await fetch(p);
      const h = {};
      res.headers.forEach((v, k) => { h[k] = v; });
      return { status: res.status, h };
    }, path);
  const view = await head(src);
  assert.equal(view.status, 200);
  assert.equal(view.h['content-type'], 'application/pdf');
  assert.match(view.h['content-disposition'], /^inline; filename="Loan agreement \(signed\)\.pdf"/);
  assert.equal(view.h['x-content-type-options'], 'nosniff');
  const dl = await head(src.replace('/view', '/download'));
  assert.match(dl.h['content-disposition'], /^attachment;/);
  assert.match(dl.h['content-security-policy'], /^sandbox/);
  await r.a11y(page, 'document preview');
  await r.screenshot(page, 'documents-preview');

  // The account's Documents tab: "New" uploads a file tied to the account.
  await clickAndWait(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }));
  await clickAndWait(page, main(page).locator('a[href^="/accounts/"]').first());
  await clickAndWait(page, page.getByRole('navigation', { name: 'Account sections' }).getByRole('link', { name: 'Documents' }));
  await page.getByRole('heading', { level: 2, name: 'Documents' }).waitFor();
  await r.a11y(page, 'account documents tab');
  await page.locator('summary', { hasText: 'New' }).click();
  await page.getByLabel('Document type').selectOption({ label: 'Identification' });
  // A program named .pdf is refused, with the message shown in place.
  await page.getByLabel('Files').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00 not a pdf') });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expectText(page.getByRole('alert'), 'Programs and scripts can\'t be uploaded', 'refused by content');
  await r.a11y(page, 'account tab with a refused file');
  await page.getByLabel('Files').setInputFiles({ name: 'proof of address.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdfBytes('address')) });
  await Promise.all([page.waitForURL(/\/documents\?m=document-uploaded$/), page.getByRole('button', { name: 'Upload' }).click()]);
  await expectText(page.getByRole('status').first(), 'The document was uploaded');
  await expectText(page.getByRole('table', { name: 'Documents of this account' }), 'proof of address.pdf');
  await r.screenshot(page, 'documents-account-tab');
});

e2e('console: documents settings, contact documents and staff upload shown in the portal', async (r) => {
  const staff = await r.newPage();
  await signInStaff(staff, 'acme', 'admin@acme.example');
  await staff.goto(url('acme', '/staff/settings/documents'));
  await staff.getByRole('heading', { level: 2, name: 'Document types' }).waitFor();
  await r.a11y(staff, 'settings: documents');
  await r.screenshot(staff, 'documents-settings');

  await staff.goto(url('acme', '/staff/contacts?q=jane.doe%40example.com'));
  await clickAndWait(staff, staff.locator('table tbody tr').first().getByRole('link').first());
  const panel = staff.getByRole('region', { name: 'Documents' });
  await expectText(panel, 'Loan agreement (signed).pdf');
  await clickAndWait(staff, panel.getByRole('link', { name: 'All documents and upload' }));
  await r.a11y(staff, 'contact documents');
  await staff.getByLabel('Document type').selectOption({ label: 'Contracts' });
  await staff.getByLabel('E-signed').check();
  await staff.getByLabel('Files').setInputFiles({ name: 'Loan modification (signed).pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdfBytes('modification')) });
  await Promise.all([staff.waitForURL(/m=document-uploaded$/), staff.getByRole('button', { name: 'Upload' }).click()]);
  await expectText(main(staff), 'Loan modification (signed).pdf');
  await r.screenshot(staff, 'documents-contact-console');

  const page = await r.newPage();
  await signInCustomer(page, 'acme', 'jane.doe');
  await page.goto(url('acme', '/documents?q=modification'));
  const row = main(page).getByRole('row', { name: /Loan modification \(signed\)\.pdf/ });
  await expectText(row, 'E-signed', 'staff upload visible in the portal, marked e-signed');
});

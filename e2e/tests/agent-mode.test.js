'use strict';
// Journey d: a staff admin opens Jane's portal in Agent mode, can look but
// not change, exits back to the console, and the visit is audited.

const assert = require('node:assert/strict');
const { suite, url, main, expectText, clickAndWait, signInStaff, pathOf } = require('../lib');

const { e2e } = suite();

// The console shows audit actions by code or in plain words.
const ACTION_WORDS = {
  'agent.session.start': 'Agent session started',
  'agent.view': 'Agent viewed page',
  'access.refused': 'Action refused',
};
function isAction(cell, code) {
  const t = cell.trim();
  return t === code || t === ACTION_WORDS[code];
}

e2e('agent mode: login as consumer, view only, exit, audited', async (r) => {
  const page = await r.newPage();
  await signInStaff(page, 'acme', 'admin@acme.example');

  await page.getByLabel('Search contacts').fill('Doe');
  await clickAndWait(page, page.getByRole('button', { name: 'Search' }));
  await clickAndWait(page, page.getByRole('link', { name: 'Doe, Jane' }));
  await page.getByRole('heading', { level: 1, name: 'Jane Doe' }).waitFor();
  const contactPath = new URL(page.url()).pathname;
  assert.match(contactPath, /^\/staff\/contacts\/\d+$/);
  await r.a11y(page, 'staff contact (enrolled, with login-as)');

  const select = page.getByLabel('Select a domain');
  const value = await select.locator('option').filter({ hasText: /^acme\.localhost\b/ }).getAttribute('value');
  await select.selectOption(value);
  await clickAndWait(page, page.getByRole('button', { name: 'Login as consumer' }));

  // The portal, as Jane, with the Agent banner.
  assert.equal(pathOf(page), '/', `agent lands on the dashboard (at ${page.url()})`);
  await page.getByRole('heading', { level: 1, name: 'Welcome, Jane D.' }).waitFor();
  const banner = page.getByRole('region', { name: 'Agent mode' });
  await expectText(banner, 'Agent mode', 'agent banner');
  await expectText(banner, 'you are viewing this portal as the customer');
  await r.a11y(page, 'dashboard in agent mode');
  await r.screenshot(page, 'agent-mode-banner');

  await clickAndWait(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' }));
  await page.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
  const pwSection = page.getByRole('region', { name: 'Change password' });
  await expectText(pwSection, 'Only the customer can change their password.');
  assert.equal(await pwSection.locator('form').count(), 0, 'no password form for agents');
  const emailSection = page.getByRole('region', { name: 'Change e-mail address' });
  // The demo leaves "Agents may change a customer's e-mail address" off.
  await expectText(emailSection, 'Agents can view this account but not change it.');
  assert.equal(await emailSection.getByRole('button', { name: 'Change e-mail' }).count(), 0, 'no e-mail button for agents');
  await r.a11y(page, 'my account in agent mode');

  // Posting an e-mail change anyway (as a crafted form) is refused.
  const csrf = await page.locator('input[name="csrf"]').first().inputValue();
  const resp = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.evaluate(({ csrf }) => {
      const f = document.createElement('form');
      f.method = 'post';
      f.action = '/account/email';
      for (const [k, v] of Object.entries({ csrf, email: 'agent.changed@example.com', email_password: '' })) {
        const i = document.createElement('input');
        i.type = 'hidden';
        i.name = k;
        i.value = v;
        f.append(i);
      }
      document.body.append(f);
      f.submit();
    }, { csrf }),
  ]).then(([resp]) => resp);
  assert.equal(resp.status(), 403, 'agent e-mail change refused');
  await page.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();
  await expectText(main(page), 'Agents can view this account but not change it.');
  await r.a11y(page, 'not allowed (agent e-mail change)');

  // Exit agent mode: back to the staff contact page.
  await page.goto(url('acme', '/'));
  await clickAndWait(page, page.getByRole('region', { name: 'Agent mode' }).getByRole('button', { name: 'Exit agent mode' }));
  assert.equal(pathOf(page), `${contactPath}?m=agent-ended`);
  await expectText(page.getByRole('status'), 'Agent mode ended.');
  const activity = page.getByRole('region', { name: 'Portal activity' });
  const agentRows = activity.locator('tbody tr').filter({ hasText: '(Agent)' });
  assert.ok((await agentRows.count()) >= 2, 'agent entries in portal activity');
  const actions = await activity.locator('tbody tr td:nth-child(3)').allInnerTexts();
  for (const want of ['agent.session.start', 'agent.view', 'access.refused']) {
    assert.ok(actions.some((a) => isAction(a, want)), `portal activity has ${want}: ${JSON.stringify(actions)}`);
  }
  await r.a11y(page, 'staff contact after agent mode');

  // The portal session is gone.
  await page.goto(url('acme', '/'));
  assert.equal(new URL(page.url()).pathname, '/login', 'agent session ended');

  await page.goto(url('acme', '/staff'));
  await clickAndWait(page, page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit log' }));
  await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  const what = await page.locator('main table tbody tr td:nth-child(4)').allInnerTexts();
  assert.ok(what.some((a) => isAction(a, 'agent.session.start')), `audit log lists agent.session.start: ${JSON.stringify(what)}`);
  await r.a11y(page, 'staff audit log');
});

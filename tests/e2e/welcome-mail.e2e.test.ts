// The welcome mail in real Chromium: an admin is refused while the bulletin's checks fail, turns it
// on from Settings, follows the link to its report, and a person who confirms gets it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signConfirmLink } from '../../src/supporters/confirm-link.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { sendableBulletin } from '../helpers/campaigns.js';
import { removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

describe('the welcome mail in the staff app', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp('welcome');
    await b.signIn('admin@example.org');
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  it('is turned on from Settings past the checks, and its report counts the mail of who confirms', async () => {
    const { page } = b;
    // A bulletin the checks refuse: no postal address in the settings yet.
    const unchecked = (await (await b.app.request('POST', '/api/bulletins', { json: exampleBulletin() })).json()).id;
    await b.open('/admin/settings');
    const section = b.region('Welcome mail');
    await section.getByRole('status').filter({ hasText: 'Off' }).waitFor();
    await section.getByLabel('Welcome bulletin').selectOption(String(unchecked));
    await section.getByRole('button', { name: 'Turn the welcome mail on' }).click();
    await section.getByText('The welcome mail was not changed.').waitFor();
    await section.getByText(/no_postal_address/).waitFor();

    const bulletinId = await sendableBulletin(b.app);
    await page.reload();
    await section.getByLabel('Welcome bulletin').selectOption(String(bulletinId));
    await section.getByRole('button', { name: 'Turn the welcome mail on' }).click();
    await section.getByRole('status').filter({ hasText: 'goes to each person who confirms' }).waitFor();
    await b.expectAccessible('welcome-settings');
    await b.screenshot('settings');

    const created = await b.app.request('POST', '/api/subscribers', { json: { email: 'new@example.org' } });
    const target = (await b.app.stores.subscriptions.target((await created.json()).id, undefined))!;
    const token = signConfirmLink(b.app.stores.signer, target);
    expect((await fetch(`${b.app.baseUrl}/confirm/${token}`, { method: 'POST' })).status).toBe(200);
    await expect
      .poll(async () => (await b.mails()).filter((m) => m.destination.to[0] === 'new@example.org').length)
      .toBe(1);

    await section.getByRole('link', { name: 'Welcome mail report' }).click();
    await page.getByRole('heading', { name: /^Welcome mail: /, level: 1 }).waitFor();
    await page.getByText('Open: each person who confirms gets this welcome mail').waitFor();
    await page.getByRole('link', { name: '← Settings' }).waitFor();
    await b.expectAccessible('welcome-report');
    await b.screenshot('report');
    // The composer says so: a saved change goes only once an admin sends that version.
    await b.open(`/admin/bulletins/${bulletinId}`);
    await page.getByText('This bulletin is the welcome mail').waitFor();
    expect(b.consoleErrors).toEqual([]);
  });
});

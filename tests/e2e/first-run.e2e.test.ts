// First run in the browser: a fresh install's first admin lands on the setup checklist, follows a
// step to the field where it is done and comes back to find it done; a check in the composer opens
// its Settings field and comes back to the same bulletin; once every step is done home is the
// bulletins, with the checklist a link away.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleBulletin } from '../helpers/bulletins.js';
import { removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

const SETUP_CODE = 'FRST-RUN1';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const STEPS = [
  'Your organisation and its postal address',
  'Who the bulletins come from',
  'A topic',
  'Someone to send to',
  'A first bulletin',
  'A test send',
];

/** "Done" or "Not done", as the checklist shows the step titled `title`. */
const stepState = (page: Page, title: string) =>
  page
    .getByRole('heading', { level: 2, name: new RegExp(`^${title} `) })
    .locator('.badge')
    .innerText();
const states = (page: Page) => Promise.all(STEPS.map((title) => stepState(page, title)));
/** The name of the control the cursor is in. */
const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('name'));

describe('first run', () => {
  let b: BrowserApp;
  const page = () => b.page;
  const checklist = () => page().getByRole('heading', { level: 1, name: 'Setup checklist' }).waitFor();

  beforeAll(async () => {
    b = await startBrowserApp('first-run', 'sqlite', { setupCode: SETUP_CODE });
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  it('the first admin lands on the checklist, nothing done yet', async () => {
    await page().goto('/admin');
    await page().waitForURL(/\/admin\/setup$/);
    await page().getByLabel('One-time code').fill(SETUP_CODE);
    await page().getByLabel('Email').fill('first@example.org');
    await page().getByLabel('Password').fill('a long enough password');
    await page().getByRole('button', { name: 'Create admin and sign in' }).click();
    await checklist();
    expect(new URL(page().url()).pathname).toBe('/admin');
    expect(await states(page())).toEqual(STEPS.map(() => 'Not done'));
    await page().getByText('0 of 6 done').waitFor();

    await b.expectAccessible('the setup checklist');
    await b.screenshot('checklist-1440');
    await page().setViewportSize(PHONE);
    await b.screenshot('checklist-390');
    await b.expectAccessible('the setup checklist at 390 px');
    await page().setViewportSize(DESKTOP);
  });

  it('"Postal address" opens Settings in that field, and saving leads back to the step done', async () => {
    await page().getByRole('link', { name: 'Postal address' }).click();
    await page().getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await expect.poll(() => focusedName(page())).toBe('postalAddress');
    // Typed where the cursor already is.
    await page().keyboard.type('310 8th Street, Oakland, CA 94607');
    await page().getByLabel('Organisation name').fill('Red Solidaria');
    await page().getByRole('button', { name: 'Save settings' }).click();
    const saved = page().getByRole('status').filter({ hasText: 'Settings saved.' });
    await saved.waitFor();
    await page().setViewportSize(PHONE);
    await b.screenshot('settings-saved-390');
    await page().setViewportSize(DESKTOP);
    await saved.getByRole('link', { name: 'Back to the setup checklist' }).click();
    await checklist();
    expect(await states(page())).toEqual(['Done', ...STEPS.slice(1).map(() => 'Not done')]);
    expect(b.consoleErrors).toEqual([]);
  });

  it('a check in the composer opens its Settings field and leads back to the same bulletin', async () => {
    // The address taken away again, so the bulletin's checks ask for it.
    await b.app.request('PUT', '/api/settings', { json: { postalAddress: '' } });
    await page().getByRole('button', { name: 'New bulletin' }).click();
    await page().getByRole('heading', { level: 1, name: 'Untitled bulletin' }).waitFor();
    const composer = new URL(page().url()).pathname;
    expect(composer).toMatch(/^\/admin\/bulletins\/\d+$/);
    await page().getByRole('link', { name: '← Back to the setup checklist' }).waitFor();

    await b.region('Checks').getByRole('link', { name: 'Add it in Settings' }).click();
    await page().getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await expect.poll(() => focusedName(page())).toBe('postalAddress');
    await page().keyboard.type('310 8th Street, Oakland, CA 94607');
    await page().getByRole('button', { name: 'Save settings' }).click();
    await page().getByRole('status').getByRole('link', { name: 'Back to the bulletin' }).click();
    await page().getByRole('heading', { level: 1, name: 'Untitled bulletin' }).waitFor();
    expect(new URL(page().url()).pathname).toBe(composer);
    await b.region('Checks').getByText('Settings have no postal address').waitFor({ state: 'detached' });
    expect(b.consoleErrors).toEqual([]);
  });

  it('the test send step opens its dialog; once all is done, home is the bulletins, the checklist near', async () => {
    const app = b.app;
    await app.request('PUT', '/api/settings', { json: { senderName: 'Red Solidaria', senderEmail: 'news@red.org' } });
    await app.request('POST', '/api/topics', { json: { key: 'weekly-bulletin', name: { en: 'Weekly bulletin' } } });
    await app.request('POST', '/api/subscribers', { json: { email: 'rosa@example.org', status: 'active' } });
    // The latest bulletin, whose test the checklist offers: one that renders in both languages.
    await app.request('POST', '/api/bulletins', { json: exampleBulletin() });
    await b.open('/admin');
    expect(await states(page())).toEqual([...STEPS.slice(0, -1).map(() => 'Done'), 'Not done']);

    await page().getByRole('link', { name: 'Send a test of the latest bulletin' }).click();
    const dialog = page().getByRole('dialog', { name: 'Send a test' });
    await dialog.getByRole('button', { name: 'Send test' }).click();
    await dialog.getByRole('status').waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page().getByRole('link', { name: '← Back to the setup checklist' }).click();

    // Everything done: home is the bulletin list, and the checklist opens from its link.
    await page().getByRole('heading', { level: 1, name: 'Bulletins' }).waitFor();
    expect(new URL(page().url()).pathname).toBe('/admin');
    await page().getByRole('link', { name: 'Setup checklist' }).click();
    await checklist();
    expect(await states(page())).toEqual(STEPS.map(() => 'Done'));
    await page().getByText('Everything is set up').waitFor();
    await b.screenshot('checklist-done-1440');
    expect(b.consoleErrors).toEqual([]);
  });
});

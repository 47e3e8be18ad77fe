// Translations that stay true, in Chromium: the English subject changes after the Spanish was
// written, the checks say so and go to the Spanish subject; "Still correct" clears the finding,
// and ticking "Spanish ready" clears the not-ready warning the send screen showed too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendableBulletin } from '../helpers/campaigns.js';
import { join } from 'node:path';
import { ARTIFACTS, field, removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

const OUTDATED = /Spanish was translated before the English changed on \d{1,2} [A-Z][a-z]{2}/;
const NOT_READY = 'Spanish is not marked ready';

describe('translations that stay true in the composer', () => {
  let b: BrowserApp;
  let bulletinId: number;

  beforeAll(async () => {
    b = await startBrowserApp('translations');
    bulletinId = await sendableBulletin(b.app);
    await b.signIn('ines@example.org', 'editor');
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  const page = () => b.page;
  const checks = () => b.region('Checks');
  const findingsText = () => checks().innerText();
  /** The Checks panel alone, as tests/e2e/artifacts/translations-<name>.png. */
  const snap = (name: string) => checks().screenshot({ path: join(ARTIFACTS, `translations-${name}.png`) });

  it('the send screen warns that Spanish is not marked ready, without refusing the send', async () => {
    await b.open(`/admin/bulletins/${bulletinId}/send`);
    const note = page().getByRole('note').filter({ hasText: 'Translations to look at' });
    expect(await note.innerText()).toContain(NOT_READY);
    expect(await page().getByRole('alert').count()).toBe(0);
  });

  it('flags the Spanish subject once the English changes, and "Still correct" clears it', async () => {
    await b.open(`/admin/bulletins/${bulletinId}`);
    await expect.poll(findingsText).toContain(NOT_READY);
    expect(await findingsText()).not.toMatch(OUTDATED);

    await field(b.region('Bulletin'), 'Subject (English)').fill('Our new website, and a petition to sign today');
    await b.saved();
    await expect.poll(findingsText).toMatch(OUTDATED);
    const finding = checks().locator('.finding-row').filter({ hasText: OUTDATED });
    expect(await finding.innerText()).toContain('Subject (Spanish)');

    await snap('outdated-1440');
    await page().setViewportSize({ width: 390, height: 844 });
    await snap('outdated-390');
    await page().setViewportSize({ width: 1440, height: 900 });

    // The finding goes to the Spanish subject, as every finding goes to its field.
    await finding.locator('button.finding').click();
    await expect.poll(() => page().evaluate(() => document.activeElement?.id)).toBe('bulletin-subject-es');

    await finding.getByRole('button', { name: /^Still correct/ }).click();
    await expect.poll(findingsText).not.toMatch(OUTDATED);
    await b.expectAccessible('composer with translation marks');
  });

  it('ticks Spanish ready: the warning goes, and the mark stays after a reload', async () => {
    const ready = checks().getByRole('checkbox', { name: 'Spanish ready' });
    expect(await ready.isChecked()).toBe(false);
    await ready.check();
    await expect.poll(findingsText).not.toContain(NOT_READY);
    await snap('ready-1440');

    await page().reload();
    const reloaded = checks().getByRole('checkbox', { name: 'Spanish ready' });
    await expect.poll(() => reloaded.isChecked(), { timeout: 10_000 }).toBe(true);
    await expect.poll(findingsText, { timeout: 10_000 }).toMatch(/Nothing to fix|Ready to send/);
    expect(await findingsText()).not.toContain(NOT_READY);
    expect(b.consoleErrors).toEqual([]);
  });
});

// Versions that explain themselves, in Chromium: a bulletin sent from its first version, then edited
// in two sittings; the versions dialog shows each sitting as one session with its author and its
// changes, marks the version that was sent, and compares two versions side by side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { ARTIFACTS, field, removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

const ANA = 'ana@example.org';
const STATEMENT = 'statement “NNIRR closes the consultation ahead of the GCM Regional Rev…”';

describe('the versions of a bulletin', () => {
  let b: BrowserApp;
  let bulletinId: number;

  beforeAll(async () => {
    b = await startBrowserApp('versions');
    bulletinId = await sendableBulletin(b.app);
    await importAudience(b.app, 3, 'reader', 'versions.org');
    const send = await (
      await b.app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { rule: { emailDomain: 'versions.org' } },
      })
    ).json();
    await waitForCampaign(b.app, send.id, ['sent']);
    await b.signIn(ANA, 'editor');
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  const page = () => b.page;
  /** The dialog alone, as tests/e2e/artifacts/versions-<name>.png: the page behind it is the composer's full length. */
  const snap = (scope: Locator, name: string) => scope.screenshot({ path: join(ARTIFACTS, `versions-${name}.png`) });
  const dialog = () => page().getByRole('dialog', { name: 'Versions' });
  const sessions = () => dialog().locator('.version-session');

  /** Moves every saved version of the bulletin `minutes` into the past, as if Ana had had a break. */
  async function timePasses(minutes: number) {
    const { db } = b.app.db.database;
    const rows = await db
      .selectFrom('bulletin_versions')
      .select(['id', 'created_at'])
      .where('bulletin_id', '=', bulletinId)
      .execute();
    for (const row of rows) {
      const earlier = new Date(Date.parse(row.created_at) - minutes * 60_000).toISOString();
      await db.updateTable('bulletin_versions').set({ created_at: earlier }).where('id', '=', row.id).execute();
    }
  }

  it('groups each sitting into one session that says who saved it and what changed', async () => {
    await b.open(`/admin/bulletins/${bulletinId}`);
    // First sitting: the Spanish subject, then the first heading in Spanish.
    await field(b.region('Bulletin'), 'Subject (Spanish)').fill('Nueva web y una petición');
    await b.saved();
    await field(b.region('Block 1: Announcement'), 'Heading (Spanish)').fill('Nuestra nueva web');
    await b.saved();
    await timePasses(30);

    // Second sitting, after a break: the statement moves up, a divider goes.
    await b.region('Block 3: Statement').getByRole('button', { name: 'Move up' }).click();
    await b.saved();
    await b.region('Block 3: Divider').getByRole('button', { name: 'Remove' }).click();
    await b.saved();

    await page().getByRole('button', { name: 'Versions' }).click();
    await expect.poll(() => sessions().count()).toBe(3);
    const [second, first, created] = await sessions().allInnerTexts();
    expect(second).toContain(ANA);
    expect(second).toMatch(/2 saves, versions 4–5/);
    expect(second).toContain(`Moved ${STATEMENT} up; Removed divider`);
    expect(second).toContain('current');
    expect(first).toContain(ANA);
    expect(first).toContain('Edited Spanish subject; Edited Spanish heading of block 1');
    expect(created).toContain('API token “admin”');
    expect(created).toContain('Created the bulletin');
    expect(created).toMatch(/Sent to 3 people on/);
    expect(await sessions().nth(2).locator('.badge-sent').count()).toBe(1);
    await snap(dialog(), 'sessions');
    await b.expectAccessible('versions dialog');

    // A session opens to its versions, each with what it changed.
    await sessions().first().getByRole('button', { name: 'Show its 2 versions' }).click();
    const versions = sessions().first().getByRole('listitem');
    expect(await versions.allInnerTexts()).toEqual([
      expect.stringMatching(/^Version 5[\s\S]*Removed divider/),
      expect.stringMatching(new RegExp(`^Version 4[\\s\\S]*Moved ${STATEMENT} up`)),
    ]);
    await snap(dialog(), 'session-open');
  });

  it('compares the version that was sent with the current one, side by side', async () => {
    await dialog().getByRole('button', { name: 'Compare with current version 1' }).click();
    const compare = page().getByRole('dialog', { name: 'Compare versions' });
    await compare.getByRole('heading', { name: 'From version 1 to version 5' }).waitFor();
    // Net of both sittings: the statement moved above the divider that then went, so only the divider is gone.
    expect(await compare.locator('.compare-changes > li').allInnerTexts()).toEqual([
      expect.stringMatching(
        /^Edited Spanish subject\s+Before\s+Nueva web, una petición[\s\S]*After\s+Nueva web y una petición$/i,
      ),
      'Removed divider',
      expect.stringMatching(
        /^Edited Spanish heading of block 1\s+Before\s+Estrenamos sitio web\s+After\s+Nuestra nueva web$/i,
      ),
    ]);
    await compare.getByTitle('Version 1 in English').waitFor();
    await compare.getByTitle('Version 5 in English').waitFor();
    await compare.getByLabel('Language').selectOption({ label: 'Spanish' });
    const newer = compare.frameLocator('iframe[title="Version 5 in Spanish"]');
    await newer.getByText('Nuestra nueva web', { exact: true }).waitFor();
    await snap(compare, 'compare');
    await b.expectAccessible('compare dialog');

    await page().setViewportSize({ width: 390, height: 844 });
    await snap(compare, 'compare-390');
    await compare.getByRole('button', { name: '← All versions' }).click();
    await snap(dialog(), 'sessions-390');
    await b.expectAccessible('versions dialog at 390 px');
    await dialog().getByRole('button', { name: 'Compare with current version 1' }).click();
    await b.expectAccessible('compare dialog at 390 px');
    await page().setViewportSize({ width: 1440, height: 900 });

    // Restoring from the comparison saves version 1 again as the newest.
    await compare.getByRole('button', { name: 'Restore version 1' }).click();
    await page().getByText('Version 1 restored; it is saved as the newest version.').waitFor();
    await b.saved();
    const stored = await (await b.app.request('GET', `/api/bulletins/${bulletinId}/versions`)).json();
    expect(stored.data[0]).toMatchObject({ version: 6, savedBy: ANA });
    expect(b.consoleErrors).toEqual([]);
  });
});

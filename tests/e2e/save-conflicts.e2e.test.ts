// Two people in one bulletin: a writer on the English, a translator on the Spanish. Each save
// names the version it was made on; a save made on an older one merges by field on its own, and
// a field both changed shows both values to choose from. Nothing either typed is lost.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bulletin } from '../../src/bulletins/schemas.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import {
  expectAccessible,
  field,
  fillRichText,
  removeStaffAppBuild,
  startBrowserApp,
  type BrowserApp,
} from './harness.js';

const WRITER = 'writer@example.org';
const TRANSLATOR = 'translator@example.org';

describe('two people editing one bulletin', () => {
  let b: BrowserApp;
  /** The translator's own browser context, signed in as another staff member. */
  let other: Page;
  let id: number;

  const stored = async () => (await (await b.app.request('GET', `/api/bulletins/${id}`)).json()) as Bulletin;
  const statusOf = (page: Page) => page.locator('.save-status [role="status"]').innerText();
  const savedIn = (page: Page) => expect.poll(() => statusOf(page), { timeout: 10_000 }).toMatch(/^Saved at/);
  const blockOne = (page: Page) => page.getByRole('region', { name: 'Block 1: Announcement', exact: true });
  const bulletinFields = (page: Page) => page.getByRole('region', { name: 'Bulletin', exact: true });
  const openBoth = async () => {
    for (const page of [b.page, other]) {
      await page.goto(`/admin/bulletins/${id}`);
      await page.getByRole('heading', { level: 1, name: 'Written together' }).waitFor();
    }
  };

  beforeAll(async () => {
    b = await startBrowserApp('save-conflicts');
    await b.signIn(WRITER, 'editor');
    other = await b.otherStaff(TRANSLATOR, 'editor');

    const res = await b.app.request('POST', '/api/bulletins', {
      json: { ...exampleBulletin(), title: 'Written together' },
    });
    id = ((await res.json()) as Bulletin).id;
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  it('merges an English heading and a Spanish body saved on one version, losing neither', async () => {
    await openBoth();
    await field(blockOne(b.page), 'Heading (English)').fill('Written by the writer');
    await savedIn(b.page);
    expect(await stored()).toMatchObject({ version: 2 });

    // The translator's page still stands on version 1: its save is refused, merged and saved again.
    await fillRichText(field(blockOne(other), 'Body (Spanish)'), 'Traducido por la traductora.');
    await savedIn(other);
    const merged = await stored();
    expect(merged.version).toBe(3);
    expect(merged.document.blocks[0]).toMatchObject({
      heading: { en: 'Written by the writer' },
      body: { es: 'Traducido por la traductora.' },
    });
    // The translator sees the writer's heading, and no question was asked.
    expect(await field(blockOne(other), 'Heading (English)').inputValue()).toBe('Written by the writer');
    expect(await other.getByRole('dialog').count()).toBe(0);
    const versions = await b.app.stores.bulletins.versions(id);
    expect(versions.map((v) => v.savedBy)).toEqual(['token: admin', WRITER, TRANSLATOR]);
  });

  it('asks about a field both changed, offering both values, and saves the one chosen', async () => {
    await openBoth();
    await field(bulletinFields(b.page), 'Subject (English)').fill('The writer’s subject');
    await savedIn(b.page);
    const writerVersion = (await stored()).version;

    await field(bulletinFields(other), 'Subject (English)').fill('The translator’s subject');
    const dialog = other.getByRole('dialog', { name: 'Choose what to keep' });
    await dialog.waitFor();
    expect(await statusOf(other)).toBe('Not saved: saved by someone else meanwhile; choose what to keep');
    const choice = dialog.getByRole('group', { name: 'Subject (English)' });
    const yours = choice.getByRole('radio', { name: /^Yours/ });
    const theirs = choice.getByRole('radio', { name: new RegExp(`^Saved by ${WRITER} at \\d{1,2}:\\d\\d`) });
    expect(await choice.getByText('The translator’s subject').isVisible()).toBe(true);
    expect(await choice.getByText('The writer’s subject').isVisible()).toBe(true);
    expect(await theirs.isChecked()).toBe(false);
    await dialog.screenshot({ path: 'tests/e2e/artifacts/save-conflicts-choice.png' });
    await expectAccessible(other, 'the choice between two saves');
    // Nothing saved while the choice waits.
    expect(await stored()).toMatchObject({
      version: writerVersion,
      document: { subject: { en: 'The writer’s subject' } },
    });

    await yours.check();
    await dialog.getByRole('button', { name: 'Save these choices' }).click();
    await savedIn(other);
    expect(await other.getByRole('dialog').count()).toBe(0);
    const chosen = await stored();
    expect(chosen).toMatchObject({
      version: writerVersion + 1,
      document: { subject: { en: 'The translator’s subject' } },
    });
    // The first test's merge is still there.
    expect(chosen.document.blocks[0]).toMatchObject({
      heading: { en: 'Written by the writer' },
      body: { es: 'Traducido por la traductora.' },
    });
    expect(b.consoleErrors).toEqual([]);
  });
});

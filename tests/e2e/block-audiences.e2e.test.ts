// Blocks for some readers, in real Chromium: a block's audience set in the composer with the rule
// builder and named in a badge, the send screen's count of who sees each such block, the preview
// as one reader gets it, and tagging in bulk on the subscribers screen. At 1440 and at 390 px.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAudience, sendableBulletin } from '../helpers/campaigns.js';
import { ARTIFACTS, removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

describe('blocks with an audience', () => {
  let b: BrowserApp;
  let bulletinId: number;

  beforeAll(async () => {
    b = await startBrowserApp('block-audiences');
    bulletinId = await sendableBulletin(b.app);
    // 9 readers at aud.org; the first three signed the petition.
    await importAudience(b.app, 9, 'reader', 'aud.org');
    const tagged = await b.app.request('POST', '/api/subscribers/tags', {
      json: {
        tag: 'signed-petition',
        action: 'add',
        emails: ['reader0@aud.org', 'reader1@aud.org', 'reader2@aud.org'],
      },
    });
    expect(tagged.status).toBe(200);
    await b.signIn('audiences@example.org', 'editor');
  }, 180_000);
  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  it("sets a block's audience with the rule builder, without sends, and names it in a badge", async () => {
    const { page } = b;
    await b.open(`/admin/bulletins/${bulletinId}`);
    const block = page.locator('#block-1');
    const audience = block.getByRole('group', { name: 'Audience', exact: true });
    expect(await audience.getByLabel('Everyone').isChecked()).toBe(true);
    await audience.getByLabel('Only readers who match a rule').check();
    const rule = audience.getByRole('group', { name: 'Audience rule of block 2' });
    const condition = rule.getByRole('group', { name: 'Condition 1' });
    // A block's audience cannot ask who received a send: the builder does not offer it.
    const types = await condition.getByLabel('Type').locator('option').allInnerTexts();
    expect(types).toContain('Has a tag');
    expect(types).not.toContain('Received an earlier send');
    await condition.getByLabel('Tag').fill('signed-petition');
    await condition.getByLabel('Not').check();
    await b.saved();
    await block.getByText('Shown to readers without the tag signed-petition').waitFor();

    const stored = await (await b.app.request('GET', `/api/bulletins/${bulletinId}`)).json();
    expect(stored.document.blocks[1].audience).toEqual({ all: [{ not: { tag: 'signed-petition' } }] });
    await b.screenshot('composer');
    await b.expectAccessible('a block with an audience');

    // Collapsed, the badge still says who sees the block.
    await block.getByRole('button', { name: 'Collapse' }).click();
    await block.getByText('Shown to readers without the tag signed-petition').waitFor();
    await page.setViewportSize(PHONE);
    await b.screenshot('composer-390');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await block.getByRole('button', { name: 'Expand' }).click();
    await rule.waitFor();
    await block.screenshot({ path: join(ARTIFACTS, 'block-audiences-block-390.png') });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);

    // Back to everyone: the audience is gone from the saved block.
    await audience.getByLabel('Everyone').check();
    await b.saved();
    expect(await block.getByText(/^Shown to/).count()).toBe(0);
    const cleared = await (await b.app.request('GET', `/api/bulletins/${bulletinId}`)).json();
    expect(cleared.document.blocks[1]).not.toHaveProperty('audience');
  }, 90_000);

  it('shows on the send screen how many of the eligible readers see each conditional block', async () => {
    const { page } = b;
    const doc = (await (await b.app.request('GET', `/api/bulletins/${bulletinId}`)).json()).document;
    doc.blocks[1] = { ...doc.blocks[1], audience: { not: { tag: 'signed-petition' } } };
    doc.blocks[3] = { ...doc.blocks[3], audience: { tag: 'signed-petition' } };
    expect((await b.app.request('PUT', `/api/bulletins/${bulletinId}`, { json: doc })).status).toBe(200);
    const expected = await (
      await b.app.request('POST', '/api/audience/preview', {
        json: { rule: { emailDomain: 'aud.org' }, topic: doc.topic, bulletinId },
      })
    ).json();
    expect(expected.blocks.map((x: { shown: number }) => x.shown)).toEqual([expected.eligible - 3, 3]);

    await b.open(`/admin/bulletins/${bulletinId}/send`);
    await page.getByLabel('A rule').check();
    await page.getByRole('button', { name: 'Add condition' }).click();
    const condition = page.getByRole('group', { name: 'Condition 1' });
    await condition.getByLabel('Type').selectOption({ label: 'Email domain' });
    await condition.getByLabel('Domain').fill('aud.org');
    const counts = page.getByRole('region', { name: 'Who gets it' });
    const type = (i: number) => doc.blocks[i].type.replaceAll('_', ' ');
    await counts.getByText(`Block 2, ${type(1)}: ${expected.eligible - 3} of ${expected.eligible}`).waitFor();
    await counts.getByText(`Block 4, ${type(3)}: 3 of ${expected.eligible}`).waitFor();
    await b.screenshot('send');
    await b.expectAccessible('the send screen with block counts');
    await page.setViewportSize(PHONE);
    await b.screenshot('send-390');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);
  }, 60_000);

  it('previews the mail as one subscriber, or a reader with some tags, gets it', async () => {
    const { page } = b;
    const doc = (await (await b.app.request('GET', `/api/bulletins/${bulletinId}`)).json()).document;
    // The petition for those who have not signed it; the 100 days statement for those who have.
    doc.blocks[7] = { ...doc.blocks[7], audience: { not: { tag: 'signed-petition' } } };
    doc.blocks[5] = { ...doc.blocks[5], audience: { tag: 'signed-petition' } };
    expect((await b.app.request('PUT', `/api/bulletins/${bulletinId}`, { json: doc })).status).toBe(200);
    await b.open(`/admin/bulletins/${bulletinId}`);
    const preview = page.getByRole('region', { name: 'Preview', exact: true });
    const mail = () => page.frameLocator('.preview iframe').locator('body').innerText();
    const shows = async (petition: boolean, hundredDays: boolean, labelled: boolean) =>
      expect
        .poll(async () => {
          const text = await mail();
          return [text.includes('Sign the petition'), text.includes('first 100 days'), text.includes('Shown to:')];
        })
        .toEqual([petition, hundredDays, labelled]);

    // At first every block, each for some readers labelled with who sees it.
    await shows(true, true, true);
    await preview.getByText('A subscriber', { exact: true }).click();
    await preview.getByLabel("Subscriber's address").fill('nobody@aud.org');
    await preview.getByRole('button', { name: 'Show' }).click();
    await preview.getByText('No subscriber has the address nobody@aud.org').waitFor();
    await preview.getByLabel("Subscriber's address").fill('Reader0@aud.org');
    await preview.getByRole('button', { name: 'Show' }).click();
    await preview.getByText('As reader0@aud.org gets it', { exact: false }).waitFor();
    await shows(false, true, false);
    await b.expectAccessible('the preview as a subscriber');
    await page.setViewportSize(PHONE);
    await preview.screenshot({ path: join(ARTIFACTS, 'block-audiences-preview-390.png') });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);
    await preview.screenshot({ path: join(ARTIFACTS, 'block-audiences-preview.png') });

    // A made-up reader without tags: the petition, not the statement for those who signed.
    await preview.getByText('Tags', { exact: true }).click();
    await shows(true, false, false);
    await preview.getByLabel(/Tags, separated by commas/).fill('volunteer, signed-petition');
    await preview.getByRole('button', { name: 'Show' }).click();
    await shows(false, true, false);
    await preview.getByText('Everyone, labelled', { exact: true }).click();
    await shows(true, true, true);
  }, 90_000);

  it('tags in bulk from pasted addresses and shows what happened to each', async () => {
    const { page } = b;
    await b.open('/admin/subscribers');
    await page.getByRole('button', { name: 'Tag in bulk' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tag in bulk' });
    await dialog.getByLabel('Tag', { exact: true }).fill('volunteer');
    await dialog
      .getByLabel('Addresses', { exact: true })
      .fill('reader4@aud.org\nREADER5@aud.org, reader4@aud.org\nnobody@aud.org\nnot-an-address');
    await dialog.getByRole('button', { name: 'Add the tag' }).click();
    await dialog.getByText('“volunteer”: 2 subscribers gained the tag.').waitFor();
    const count = async (label: string) =>
      dialog
        .locator('.tag-report-counts div')
        .filter({ has: page.getByText(label, { exact: true }) })
        .locator('dd')
        .innerText();
    expect(await count('Matched')).toBe('2');
    expect(await count('Not found')).toBe('1');
    expect(await count('Duplicates')).toBe('1');
    expect(await count('Failed')).toBe('1');
    await dialog.getByRole('row', { name: /Address 5 not-an-address must be an email address/ }).waitFor();
    const tagged = await (await b.app.request('GET', '/api/subscribers?tag=volunteer')).json();
    expect(tagged.data.map((s: { email: string }) => s.email).sort()).toEqual(['reader4@aud.org', 'reader5@aud.org']);
    await b.screenshot('tag-in-bulk');
    await b.expectAccessible('tag in bulk, pasted');

    // A CSV file, streamed: the tag taken off one of the two, a bad row named by its line.
    await dialog.getByLabel('Remove the tag').check();
    await dialog.getByLabel(/A CSV file/).check();
    await dialog.getByLabel('CSV file', { exact: true }).setInputFiles({
      name: 'signers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('name,email\nFive,reader5@aud.org\nBad,nope\n'),
    });
    await dialog.getByRole('button', { name: 'Remove the tag' }).click();
    await dialog.getByText('“volunteer”: 1 subscriber lost the tag.').waitFor();
    await dialog.getByRole('row', { name: /Line 3 nope must be an email address/ }).waitFor();
    const left = await (await b.app.request('GET', '/api/subscribers?tag=volunteer')).json();
    expect(left.data.map((s: { email: string }) => s.email)).toEqual(['reader4@aud.org']);
    await b.expectAccessible('tag in bulk, a file');
    await page.setViewportSize(PHONE);
    await b.screenshot('tag-in-bulk-390');
    await page.setViewportSize(DESKTOP);
    expect(b.consoleErrors).toEqual([]);
  }, 60_000);
});

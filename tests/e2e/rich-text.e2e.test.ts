// The composer's Markdown bodies as rich text in Chromium: a text block written from empty, a word
// made bold and one linked through the dialog (which refuses an address that is not https), Google
// Docs and Word pasted and cleaned, an Arabic body right to left; what is saved is Markdown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulletinDocument } from '../../src/bulletins/document.js';
import {
  ARTIFACTS,
  field,
  pasteHtml,
  removeStaffAppBuild,
  selectText,
  startBrowserApp,
  type BrowserApp,
} from './harness.js';

/** What Google Docs puts on the clipboard: one bold wrapper that is not bold, styles on every span. */
const GOOGLE_DOCS = fixture('paste-google-docs.html');
/** What Word puts on the clipboard for a bulleted list: paragraphs with their bullets typed in. */
const WORD = fixture('paste-word-list.html');

function fixture(name: string): string {
  return readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8').trim();
}

describe('Markdown bodies are written as rich text', () => {
  let b: BrowserApp;
  let id: number;

  beforeAll(async () => {
    b = await startBrowserApp('richtext');
    await b.signIn();
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  const page = () => b.page;
  const block = () => b.region('Block 1: Text');
  const body = (language: 'English' | 'Arabic') => field(block(), `Body (${language})`);
  const toolbar = (language: 'English' | 'Arabic') =>
    block().getByRole('toolbar', { name: `Formatting Body (${language})` });
  const stored = async () =>
    ((await (await b.app.request('GET', `/api/bulletins/${id}`)).json()).document as BulletinDocument).blocks[0];

  it('bolds a word from the toolbar and links one through the dialog, saving Markdown', async () => {
    const res = await b.app.request('POST', '/api/bulletins', {
      json: { version: 1, title: 'Rich text', languages: ['en', 'ar'], blocks: [] },
    });
    expect(res.status).toBe(201);
    id = (await res.json()).id;
    await b.open(`/admin/bulletins/${id}`);
    await b.region('Add a block').getByRole('button', { name: 'New Text block' }).click();

    await expect.poll(() => page().evaluate(() => document.activeElement?.id)).toBe('block-0-body-en');
    await page().keyboard.type('Sign the petition today');
    const bold = toolbar('English').getByRole('button', { name: 'Bold' });
    await selectText(body('English'), 'today');
    expect(await bold.getAttribute('aria-pressed')).toBe('false');
    await bold.click();
    expect(await bold.getAttribute('aria-pressed')).toBe('true');

    await selectText(body('English'), 'petition');
    await page().keyboard.press('ControlOrMeta+k');
    const dialog = page().getByRole('dialog', { name: 'Add link' });
    const address = dialog.getByLabel('Address');
    await address.fill('http://nnirr.org/petition');
    await dialog.getByRole('button', { name: 'Apply link' }).click();
    expect(await dialog.locator('.field-error').innerText()).toBe(
      '“http://nnirr.org/petition” is not https; links in a bulletin must be https',
    );
    await address.fill('https://nnirr.org/petition');
    expect(await dialog.locator('.field-hint').innerText()).toBe('Goes to nnirr.org');
    await b.screenshot('link-dialog');
    await b.expectAccessible('the link dialog');
    await dialog.getByRole('button', { name: 'Apply link' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await b.saved();
    expect((await stored())?.type).toBe('text');
    expect(await stored()).toMatchObject({
      body: { en: 'Sign the [petition](https://nnirr.org/petition) **today**' },
    });
  });

  it('opens the link under the cursor to change or remove it', async () => {
    await selectText(body('English'), 'tition');
    await toolbar('English').getByRole('button', { name: 'Link' }).click();
    const dialog = page().getByRole('dialog', { name: 'Edit link' });
    expect(await dialog.getByLabel('Address').inputValue()).toBe('https://nnirr.org/petition');
    await dialog.getByRole('button', { name: 'Remove link' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await b.saved();
    expect(await stored()).toMatchObject({ body: { en: 'Sign the petition **today**' } });
    await page().keyboard.press('ControlOrMeta+z');
    await b.saved();
    expect(await stored()).toMatchObject({
      body: { en: 'Sign the [petition](https://nnirr.org/petition) **today**' },
    });
  });

  it('cleans a paste from Google Docs to bold, italic, links and lists', async () => {
    await body('English').focus();
    await page().keyboard.press('ControlOrMeta+End');
    await page().keyboard.press('Enter');
    await pasteHtml(body('English'), GOOGLE_DOCS, 'We need everyone at the town hall');
    await b.saved();
    expect(await stored()).toMatchObject({
      body: {
        en:
          'Sign the [petition](https://nnirr.org/petition) **today**\n\n' +
          'We need **everyone** at the *town hall*, see [the details](https://nnirr.org/town-hall)\n\n' +
          '- Bring a friend\n- **Bring water**',
      },
    });
    expect(await body('English').locator('[style], [class*="Mso"], span').count()).toBe(0);
    // Google Docs' <br> between a paragraph and a list leaves no empty paragraph in the editor either.
    expect(
      await body('English').evaluate(
        (root) => [...root.querySelectorAll('p')].filter((p) => !p.textContent?.trim()).length,
      ),
    ).toBe(0);
  });

  it('writes an Arabic body right to left, with a list pasted from Word', async () => {
    expect(await body('Arabic').getAttribute('dir')).toBe('rtl');
    expect(await body('English').getAttribute('dir')).toBe('ltr');
    await body('Arabic').click();
    await pasteHtml(body('Arabic'), WORD);
    await b.saved();
    expect(await stored()).toMatchObject({ body: { ar: '- الماء\n- **الطعام**' } });
  });

  it('passes the accessibility check and is readable at 1440 and 390 pixels wide', async () => {
    await b.expectAccessible('the composer with rich text fields');
    await block().scrollIntoViewIfNeeded();
    await b.screenshot('composer-1440');
    await block().screenshot({ path: join(ARTIFACTS, 'richtext-block-1440.png') });
    await page().setViewportSize({ width: 390, height: 844 });
    await b.screenshot('composer-390');
    await block().screenshot({ path: join(ARTIFACTS, 'richtext-block-390.png') });
    await b.expectAccessible('the composer with rich text fields on a phone');
    await page().setViewportSize({ width: 1440, height: 900 });
    expect(b.consoleErrors).toEqual([]);
  });

  it('goes from a check about a body to its editor', async () => {
    await body('Arabic').click();
    await page().keyboard.press('ControlOrMeta+End');
    await page().keyboard.press('Enter');
    await pasteHtml(body('Arabic'), '<p><a href="http://nnirr.org/ar">التفاصيل</a></p>');
    await b.saved();
    const finding = b.region('Checks').getByRole('button', { name: 'Block 1 (Text) · Body (Arabic)' });
    await finding.click();
    await expect.poll(() => page().evaluate(() => document.activeElement?.id)).toBe('block-0-body-ar');
  });
});

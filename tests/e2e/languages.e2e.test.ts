// The organisation's languages in Chromium: Arabic added in Settings with a locale for Spanish, a
// new bulletin written in every one of them with its Arabic fields right to left, and the Arabic
// example bulletin on a phone, right to left as drawn (screenshot in tests/e2e/artifacts/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulletinDocument } from '../../src/bulletins/document.js';
import { personalise } from '../../src/render/personalise.js';
import { renderBulletin } from '../../src/render/render.js';
import { ORGANISATION } from '../helpers/bulletins.js';
import { ARTIFACTS, type BrowserApp, field, launchChromium, removeStaffAppBuild, startBrowserApp } from './harness.js';

const ARABIC = BulletinDocument.parse(
  JSON.parse(readFileSync(new URL('../../examples/know-your-rights-arabic.json', import.meta.url), 'utf8')),
);

describe("the organisation's languages in the staff app", () => {
  let b: BrowserApp;

  beforeAll(async () => {
    b = await startBrowserApp('languages');
    await b.signIn();
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  it('adds Arabic and a locale for Spanish in Settings', async () => {
    await b.open('/admin/settings');
    const languages = b.page.getByRole('region', { name: 'Languages' });
    await languages.getByLabel('Add a language').fill('Arabic');
    await languages.getByRole('button', { name: 'Add Arabic' }).click();
    await languages.getByLabel('Locale for Spanish').fill('es-ES');
    await expect.poll(() => languages.getByText('62.500').count()).toBeGreaterThan(0);
    await b.expectAccessible('the settings with three languages');
    await b.screenshot('settings');
    await b.page.getByRole('button', { name: 'Save settings' }).click();
    await b.page.getByText('Settings saved.').waitFor();
    const saved = await (await b.app.request('GET', '/api/settings')).json();
    expect(saved).toMatchObject({ languages: ['en', 'es', 'ar'], locales: { en: 'en-US', es: 'es-ES' } });
  });

  it("starts a new bulletin in the organisation's languages, its Arabic fields right to left", async () => {
    await b.open('/admin/bulletins');
    await b.page.getByRole('button', { name: 'New bulletin' }).click();
    const subject = (language: string) => field(b.page.locator('main'), `Subject (${language})`);
    await subject('Arabic').waitFor();
    expect(await subject('Arabic').getAttribute('dir')).toBe('rtl');
    expect(await subject('Arabic').getAttribute('lang')).toBe('ar');
    expect(await subject('English').getAttribute('dir')).toBe('ltr');
    await subject('Arabic').fill('نشرة الأسبوع');
    await b.saved();
    const id = Number(/\/bulletins\/(\d+)/.exec(b.page.url())![1]);
    const { document } = await (await b.app.request('GET', `/api/bulletins/${id}`)).json();
    expect(document.languages).toEqual(['en', 'es', 'ar']);
    expect(document.subject.ar).toBe('نشرة الأسبوع');
    expect(b.consoleErrors).toEqual([]);
  });
});

describe('the Arabic example bulletin on a phone', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('reads right to left: headings, text and button on the right, the goal bar filling from the right', async () => {
    const compiled = await renderBulletin(ARABIC, 'ar', { settings: ORGANISATION });
    const { html } = personalise(
      compiled,
      { subscriberId: 3, email: 'layla@example.org', name: 'Layla' },
      {
        unsubscribe: 'https://news.example.org/u/t',
        preferences: 'https://news.example.org/p/t',
        view: 'https://news.example.org/v/t',
      },
    );
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.setContent(html);
    await page.screenshot({ path: join(ARTIFACTS, 'languages-arabic-mail-375.png'), fullPage: true });

    const heading = page.getByRole('heading', { name: 'مترجمون في كل محكمة هجرة' });
    expect(await heading.evaluate((h) => [getComputedStyle(h).direction, getComputedStyle(h).textAlign])).toEqual([
      'rtl',
      'right',
    ]);
    // The heading's text ends at the right margin, where the button also ends.
    const paper = (await page.locator('.paper').first().boundingBox())!;
    const text = await heading.evaluate((h) => {
      const range = document.createRange();
      range.selectNodeContents(h);
      return range.getBoundingClientRect().right;
    });
    const button = (await page.getByRole('link', { name: 'وقّعوا العريضة' }).boundingBox())!;
    expect(paper.x + paper.width - text).toBeGreaterThan(0);
    expect(Math.abs(text - (button.x + button.width))).toBeLessThan(2);
    // The bar's filled cell (64 %) is on the right of the rest.
    const [done, left] = await page.locator('table[role="img"] td').all();
    const [doneBox, leftBox] = [(await done!.boundingBox())!, (await left!.boundingBox())!];
    expect(doneBox.x).toBeGreaterThan(leftBox.x);
    expect(doneBox.width).toBeGreaterThan(leftBox.width);
    await page.close();
  });
});

// The example bulletin as a reader's phone shows it: at 375 px, the footer's small print must be
// readable (≥ 14 px) and each of its links a tap area at least 44 px tall, so a reader who means
// "Unsubscribe" does not press "Report spam" instead.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalise } from '../../src/render/personalise.js';
import { renderBulletin } from '../../src/render/render.js';
import { ORGANISATION, exampleBulletin } from '../helpers/bulletins.js';
import { launchChromium } from './harness.js';

const LINKS = {
  unsubscribe: 'https://news.example.org/u/tok-u',
  preferences: 'https://news.example.org/preferences/tok-p',
  view: 'https://news.example.org/view/tok-v',
};
const READER = { subscriberId: 7, email: 'ana@example.org', name: 'Ana López García' };

describe('the example bulletin in a 375 px wide window', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it.each(['en', 'es'])('has footer text of 14 px or more and footer links 44 px tall (%s)', async (language) => {
    const compiled = await renderBulletin(exampleBulletin(), language, { settings: ORGANISATION });
    const { html } = personalise(compiled, READER, LINKS);
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await page.setContent(html);
    const footer = page.locator('.footer');
    const sizes = await footer.evaluateAll((sections) =>
      sections.flatMap((s) =>
        [...s.querySelectorAll('p, a')].map((e) => Number.parseFloat(getComputedStyle(e).fontSize)),
      ),
    );
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(14);
    for (const href of Object.values(LINKS)) {
      const links = page.locator(`.footer a[href="${href}"]`);
      expect(await links.count()).toBeGreaterThan(0);
      for (const link of await links.all()) {
        const box = await link.boundingBox();
        expect(box?.height, `${href}: ${JSON.stringify(box)}`).toBeGreaterThanOrEqual(44);
      }
    }
    await page.close();
  });
});

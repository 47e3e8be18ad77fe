// The bulletin in a mail client's dark mode: Chromium with prefers-color-scheme: dark stands in
// for Apple Mail and the others that honour the theme's dark rules. Every button label and link
// must still read at 4.5:1 on what is behind it.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contrast } from '../../src/render/contrast.js';
import { personalise } from '../../src/render/personalise.js';
import { renderBulletin } from '../../src/render/render.js';
import { ORGANISATION, exampleBulletin } from '../helpers/bulletins.js';
import { launchChromium } from './harness.js';

const READER = { subscriberId: 7, email: 'ana@example.org', name: 'Ana López' };
const LINKS = {
  unsubscribe: 'https://news.example.org/u/t',
  preferences: 'https://news.example.org/p/t',
  view: 'https://news.example.org/v/t',
};

describe('the bulletin in dark mode', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it.each(['#b3261e', '#f2b705', '#808080'])('keeps button labels and links at 4.5:1 (brand %s)', async (brand) => {
    const settings = { ...ORGANISATION, brandColor: brand };
    const { html } = personalise(await renderBulletin(exampleBulletin(), 'en', { settings }), READER, LINKS);
    const page = await browser.newPage();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setContent(html);
    // Each link's colour and the first opaque background behind it, as #rrggbb.
    const pairs = await page.locator('.paper a').evaluateAll((links) => {
      const hex = (rgb: string) =>
        `#${(rgb.match(/\d+/g) ?? [])
          .slice(0, 3)
          .map((c) => Number(c).toString(16).padStart(2, '0'))
          .join('')}`;
      const behind = (el: Element | null): string => {
        for (; el; el = el.parentElement) {
          const colour = getComputedStyle(el).backgroundColor;
          if (colour !== 'rgba(0, 0, 0, 0)') return hex(colour);
        }
        return '#ffffff';
      };
      return links.map((a) => ({ text: a.textContent!.trim(), fg: hex(getComputedStyle(a).color), bg: behind(a) }));
    });
    await page.close();
    expect(pairs.filter((p) => p.bg === '#24211e').length).toBeGreaterThan(0);
    expect(pairs.filter((p) => p.bg !== '#24211e').length).toBeGreaterThanOrEqual(2);
    for (const { text, fg, bg } of pairs)
      expect(contrast(fg, bg), `${text}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
  });
});

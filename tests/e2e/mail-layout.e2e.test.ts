// The example bulletin as readers' screens show it, measured in Chromium: the footer's small print
// readable (≥ 14 px) and each of its links a tap area at least 44 px tall on a phone, so a reader who
// means "Unsubscribe" does not press "Report spam" instead; blocks set apart by their own spacing;
// a long organisation name kept to two lines on a phone.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulletinDocument } from '../../src/bulletins/document.js';
import { personalise } from '../../src/render/personalise.js';
import { renderBulletin } from '../../src/render/render.js';
import type { Settings } from '../../src/settings/settings.js';
import { ORGANISATION, exampleBulletin } from '../helpers/bulletins.js';
import { launchChromium } from './harness.js';

const LINKS = {
  unsubscribe: 'https://news.example.org/u/tok-u',
  preferences: 'https://news.example.org/preferences/tok-p',
  view: 'https://news.example.org/view/tok-v',
};
const READER = { subscriberId: 7, email: 'ana@example.org', name: 'Ana López García' };

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

async function open(
  doc: BulletinDocument,
  language: string,
  width: number,
  settings: Settings = ORGANISATION,
): Promise<Page> {
  const compiled = await renderBulletin(doc, language, { settings });
  const { html } = personalise(compiled, READER, LINKS);
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  await page.setContent(html);
  return page;
}

describe('the example bulletin in a 375 px wide window', () => {
  it.each(['en', 'es'])('has footer text of 14 px or more and footer links 44 px tall (%s)', async (language) => {
    const page = await open(exampleBulletin(), language, 375);
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

/**
 * For each block heading after the first, and each divider's rule: the space between the bottom of
 * what comes before it (the last line of text, an image or a button, as drawn) and its top, in px;
 * for a rule, also the space from its bottom to the next heading.
 */
function gaps(
  page: Page,
): Promise<{ headings: { heading: string; gap: number }[]; rules: { above: number; below: number }[] }> {
  return page.evaluate(() => {
    const marks: { node: Node; top: number; bottom: number }[] = [];
    for (const section of document.querySelectorAll('.paper')) {
      const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node instanceof HTMLImageElement) {
          const { top, bottom } = node.getBoundingClientRect();
          marks.push({ node, top, bottom });
        } else if (node.nodeType === Node.TEXT_NODE && node.textContent!.trim()) {
          // A button's label is drawn inside its coloured cell: the cell is what the eye sees.
          const cell = node.parentElement!.closest('td[bgcolor]');
          const range = document.createRange();
          range.selectNodeContents(node);
          const rects = [...range.getClientRects()];
          if (!rects.length) continue;
          const box = cell?.getBoundingClientRect();
          marks.push({ node, top: box?.top ?? rects[0]!.top, bottom: box?.bottom ?? rects.at(-1)!.bottom });
        }
      }
    }
    const follows = (a: Node, b: Node) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    const before = (el: Element) => marks.filter((m) => !el.contains(m.node) && follows(m.node, el)).at(-1)!;
    const after = (el: Element) => marks.find((m) => !el.contains(m.node) && follows(el, m.node))!;
    const headings = [...document.querySelectorAll('.paper h2')].slice(1).map((h2) => ({
      heading: h2.textContent!.slice(0, 40),
      gap: Math.round(marks.find((m) => h2.contains(m.node))!.top - before(h2).bottom),
    }));
    const rules = [...document.querySelectorAll('.paper p[style*="border-top"]')].map((rule) => {
      const line = rule.getBoundingClientRect();
      return { above: Math.round(line.top - before(rule).bottom), below: Math.round(after(rule).top - line.bottom) };
    });
    return { headings, rules };
  });
}

/** The example's blocks with its dividers taken out: each block must stand apart on its own. */
function withoutDividers(doc: BulletinDocument): BulletinDocument {
  return { ...doc, blocks: doc.blocks.filter((block) => block.type !== 'divider') };
}

describe('the space between blocks', () => {
  it.each([
    ['en', 600],
    ['es', 600],
    ['en', 375],
    ['es', 375],
  ])('sets a block apart from the next one without a divider (%s, %i px)', async (language, width) => {
    const page = await open(withoutDividers(exampleBulletin()), language, width);
    const { headings } = await gaps(page);
    await page.close();
    expect(headings.length).toBeGreaterThanOrEqual(3);
    for (const { heading, gap } of headings) expect(gap, heading).toBeGreaterThanOrEqual(24);
  });

  it.each([600, 375])(
    'leaves about as much room on each side of a divider as between blocks (%i px)',
    async (width) => {
      const page = await open(exampleBulletin(), 'en', width);
      const { rules } = await gaps(page);
      await page.close();
      expect(rules.length).toBe(4);
      for (const { above, below } of rules) {
        expect(Math.min(above, below)).toBeGreaterThanOrEqual(24);
        expect(Math.max(above, below)).toBeLessThanOrEqual(40);
        expect(Math.abs(above - below)).toBeLessThanOrEqual(8);
      }
    },
  );
});

describe('a long organisation name in the masthead', () => {
  const names = [
    'Coalición de Organizaciones Migrantes del Sur', // 45 characters
    ORGANISATION.organisationName, // 49
    'Flüchtlingsrechtsberatungsgemeinschaftsverbund', // one word of 46
  ];

  it.each(names)('takes at most two lines on a 375 px phone, and nothing overflows (%s)', async (name) => {
    const page = await open(exampleBulletin(), 'es', 375, { ...ORGANISATION, organisationName: name });
    const measured = await page.evaluate(() => {
      const h1 = document.querySelector('h1')!;
      return {
        lines: h1.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(h1).lineHeight),
        width: document.documentElement.scrollWidth,
        overflow: h1.scrollWidth - h1.clientWidth,
      };
    });
    await page.close();
    expect(Math.round(measured.lines)).toBeLessThanOrEqual(2);
    expect(measured.width).toBeLessThanOrEqual(375);
    expect(measured.overflow).toBe(0);
  });
});

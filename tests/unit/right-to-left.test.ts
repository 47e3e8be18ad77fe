// The Arabic example bulletin (examples/know-your-rights-arabic.json) as an Arabic reader gets it:
// right to left throughout, with the pieces the theme adds mirrored or isolated.
import { readFileSync } from 'node:fs';
import { type ComponentProps, createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import { BulletinDocument } from '../../src/bulletins/document.js';
import { personalise } from '../../src/render/personalise.js';
import { renderBulletin } from '../../src/render/render.js';
import { Page } from '../../src/supporters/views/page.js';
import { renderPage } from '../../src/supporters/views/render-page.js';
import { ORGANISATION } from '../helpers/bulletins.js';

const example = BulletinDocument.parse(
  JSON.parse(readFileSync(new URL('../../examples/know-your-rights-arabic.json', import.meta.url), 'utf8')),
);
const READER = { subscriberId: 3, email: 'layla@example.org', name: 'Layla' };
const LINKS = {
  unsubscribe: 'https://news.example.org/u/t',
  preferences: 'https://news.example.org/p/t',
  view: 'https://news.example.org/v/t',
};
const mail = async (language: string) =>
  personalise(await renderBulletin(example, language, { settings: ORGANISATION }), READER, LINKS).html;

/** The progress bar's cells' border radii, in the order of the markup (the reading order). */
const barRadii = (html: string) =>
  [...(/<table role="img"[^>]*>.*?<\/table>/s.exec(html)?.[0] ?? '').matchAll(/border-radius:([^;"]*)/g)].map(
    (m) => m[1],
  );

describe('an Arabic bulletin', () => {
  it('is Arabic and right to left on the document and on the wrapper clients that drop <html> keep', async () => {
    const html = await mail('ar');
    expect(html).toMatch(/<html lang="ar" dir="rtl"/);
    expect(html).toMatch(/<body[^>]*>\s*<div[^>]* lang="ar" dir="rtl"/);
  });

  it('fills the goal bar from the right, rounding only its outer ends', async () => {
    const ar = await mail('ar');
    expect(ar).toMatch(/<table role="img" aria-label="6,420 [^"]*" dir="rtl"/);
    expect(barRadii(ar)).toEqual(['0 5px 5px 0', '5px 0 0 5px']);
    expect(barRadii(await mail('en'))).toEqual(['5px 0 0 5px', '0 5px 5px 0']);
  });

  it('keeps each hashtag whole in its own direction: "#KnowYourRights", not "KnowYourRights#"', async () => {
    const html = await mail('ar');
    expect(html).toContain('<span dir="auto">#اعرف_حقوقك</span> <span dir="auto">#KnowYourRights</span>');
  });

  it("reads the theme's words in their own direction, English words in an Arabic mail included", async () => {
    const html = await mail('ar');
    // Why the reader gets the mail names the organisation; the goal line ends in the bulletin's unit.
    expect(html).toMatch(new RegExp(`<p dir="auto"[^>]*>[^<]*${ORGANISATION.organisationName}`));
    expect(html).toMatch(/<p dir="auto"[^>]*>6,420 [^<]*10,000 توقيع<\/p>/);
  });

  it("keeps the organisation's name and postal address in their own direction: not '8th Street … 310'", async () => {
    const html = await mail('ar');
    const name = ORGANISATION.organisationName;
    expect(html).toMatch(new RegExp(`<h1[^>]* dir="auto"[^>]*>${name}</h1>`));
    expect(html).toContain(`<p dir="auto" style="margin:0"><strong>${name}</strong><br>${ORGANISATION.postalAddress}`);
  });
});

describe('a public page', () => {
  /** The page's start tag, for a page in `lang`: a language whose words the organisation may add. */
  const htmlTag = (lang: string) =>
    /<html[^>]*>/.exec(
      renderPage(
        h(Page, { context: { settings: ORGANISATION, lang }, title: 't' } as ComponentProps<typeof Page>, h('p')),
      ),
    )![0];

  it('is right to left in Arabic, Persian, Urdu, Hebrew and Pashto, in any region, and says nothing otherwise', () => {
    for (const lang of ['ar', 'fa', 'ur', 'he', 'ps', 'ar-EG'])
      expect(htmlTag(lang), lang).toBe(`<html lang="${lang}" dir="rtl">`);
    for (const lang of ['en', 'es', 'pt-BR']) expect(htmlTag(lang), lang).toBe(`<html lang="${lang}">`);
  });
});

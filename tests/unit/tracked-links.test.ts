import { describe, expect, it } from 'vitest';
import type { BulletinDocument } from '../../src/bulletins/document.js';
import { trackableLinks, withTrackedLinks } from '../../src/render/tracked-links.js';
import { exampleBulletin } from '../helpers/bulletins.js';

describe('link tracking on the document', () => {
  const doc = exampleBulletin();
  /** The example with a block whose links differ by language, and one translated only in English. */
  const localised: BulletinDocument = {
    ...doc,
    blocks: [
      ...doc.blocks,
      {
        type: 'text',
        body: { en: '[Sign](https://example.org/petition)', es: '[Firma](https://example.org/es/peticion)' },
      },
      { type: 'text', body: { en: '[Donate](https://example.org/donate)' } },
    ],
  };
  const [petition, donate] = [doc.blocks.length, doc.blocks.length + 1];

  it("finds each block's links, in fields and in Markdown, but not mailto: or personal ones", () => {
    const withPersonal = {
      ...doc,
      blocks: [...doc.blocks, { type: 'text' as const, body: { en: '[mine](https://nnirr.org/me?e={{email}})' } }],
    };
    const links = trackableLinks(withPersonal, 'en');
    expect(links).toContainEqual({ block: 0, url: 'https://nnirr.org/' });
    expect(links).toContainEqual({ block: 3, url: 'https://nnirr.org/resources/global-compact-for-migration' });
    expect(links).toContainEqual({ block: 7, url: 'https://nnirr.org/petition-refugee-admissions' });
    expect(links.some((l) => l.url.startsWith('mailto:') || l.url.includes('{{'))).toBe(false);
    expect(new Set(links.map((l) => `${l.block} ${l.url}`)).size).toBe(links.length);
  });

  it("finds the links a language's readers get: their text's, or the fallback's where theirs is missing", () => {
    const es = trackableLinks(localised, 'es');
    expect(es).toContainEqual({ block: petition, url: 'https://example.org/es/peticion' });
    expect(es).not.toContainEqual({ block: petition, url: 'https://example.org/petition' });
    expect(es).toContainEqual({ block: donate, url: 'https://example.org/donate' });
    const en = trackableLinks(localised, 'en');
    expect(en).toContainEqual({ block: petition, url: 'https://example.org/petition' });
    expect(en).not.toContainEqual({ block: petition, url: 'https://example.org/es/peticion' });
  });

  it("swaps every trackable link a language's readers get, naming the language, and nothing else", () => {
    const seen: string[] = [];
    const tracked = withTrackedLinks(localised, 'es', ({ block, url, language }) => {
      seen.push(language);
      return `https://t.example/${language}/${block}/${encodeURIComponent(url)}`;
    });
    const json = JSON.stringify(tracked.blocks.map((b) => ('body' in b ? { ...b, body: { es: b.body.es } } : b)));
    for (const { url } of trackableLinks(localised, 'es')) expect(json).not.toContain(`](${url})`);
    expect(new Set(seen)).toEqual(new Set(['es']));
    expect(json).toContain('mailto:nnirrinfo@nnirr.org');
    expect(tracked.blocks[3]).toMatchObject({ body: { es: expect.stringContaining('](https://t.example/es/3/') } });
    expect(tracked.blocks[7]).toMatchObject({
      button: { href: expect.stringMatching(/^https:\/\/t\.example\/es\/7\//) },
    });
    // The English text a Spanish reader never gets stays as written; the one they get in its stead is tracked.
    expect(tracked.blocks[petition]).toMatchObject({
      body: {
        en: '[Sign](https://example.org/petition)',
        es: `[Firma](https://t.example/es/${petition}/${encodeURIComponent('https://example.org/es/peticion')})`,
      },
    });
    expect(tracked.blocks[donate]).toMatchObject({
      body: { en: `[Donate](https://t.example/es/${donate}/${encodeURIComponent('https://example.org/donate')})` },
    });
    // The original is untouched.
    expect(doc.blocks[7]).toMatchObject({ button: { href: 'https://nnirr.org/petition-refugee-admissions' } });
  });
});

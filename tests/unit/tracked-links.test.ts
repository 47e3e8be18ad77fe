import { describe, expect, it } from 'vitest';
import { trackableLinks, withTrackedLinks } from '../../src/render/tracked-links.js';
import { exampleBulletin } from '../helpers/bulletins.js';

describe('link tracking on the document', () => {
  const doc = exampleBulletin();

  it("finds each block's links, in fields and in Markdown, but not mailto: or personal ones", () => {
    const withPersonal = {
      ...doc,
      blocks: [...doc.blocks, { type: 'text' as const, body: { en: '[mine](https://nnirr.org/me?e={{email}})' } }],
    };
    const links = trackableLinks(withPersonal);
    expect(links).toContainEqual({ block: 0, url: 'https://nnirr.org/' });
    expect(links).toContainEqual({ block: 3, url: 'https://nnirr.org/resources/global-compact-for-migration' });
    expect(links).toContainEqual({ block: 7, url: 'https://nnirr.org/petition-refugee-admissions' });
    expect(links.some((l) => l.url.startsWith('mailto:') || l.url.includes('{{'))).toBe(false);
    expect(new Set(links.map((l) => `${l.block} ${l.url}`)).size).toBe(links.length);
  });

  it('swaps every trackable link, in every language, and nothing else', () => {
    const tracked = withTrackedLinks(doc, ({ block, url }) => `https://t.example/${block}/${encodeURIComponent(url)}`);
    const json = JSON.stringify(tracked);
    for (const { url } of trackableLinks(doc)) expect(json).not.toContain(`"${url}"`);
    expect(json).toContain('mailto:nnirrinfo@nnirr.org');
    expect(tracked.blocks[3]).toMatchObject({ body: { es: expect.stringContaining('](https://t.example/3/') } });
    // The original is untouched.
    expect(doc.blocks[7]).toMatchObject({ button: { href: 'https://nnirr.org/petition-refugee-admissions' } });
  });
});

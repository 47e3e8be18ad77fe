import { describe, expect, it } from 'vitest';
import { personalise } from '../../src/render/personalise.js';
import { AS_SENT, inDarkMode, withImagesOff, withLook } from '../../src/render/preview-look.js';
import { renderBulletin } from '../../src/render/render.js';
import { ORGANISATION, exampleBulletin } from '../helpers/bulletins.js';

const READER = { subscriberId: 7, email: 'ana@example.org', name: 'Ana López' };
const LINKS = {
  unsubscribe: 'https://news.example.org/u/t',
  preferences: 'https://news.example.org/p/t',
  view: 'https://news.example.org/v/t',
};

/** The example with a logo and an image block: two images, each with its alt text. */
async function mailWithImages(): Promise<string> {
  const doc = exampleBulletin();
  doc.blocks.unshift({
    type: 'image',
    src: 'https://news.example.org/march.jpg',
    alt: { en: 'Marchers at the Capitol', es: 'Manifestantes en el Capitolio' },
  });
  const settings = { ...ORGANISATION, logoUrl: 'https://news.example.org/logo.png' };
  return personalise(await renderBulletin(doc, 'en', { settings }), READER, LINKS).html;
}

const imgTags = (html: string) => html.match(/<img\b[^>]*>/g) ?? [];

describe('the preview as a reader’s client shows it', () => {
  it('applies the theme’s dark rules unconditionally in dark mode, and only there', async () => {
    const html = await mailWithImages();
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\)/);
    const dark = inDarkMode(html);
    expect(dark).not.toMatch(/prefers-color-scheme/);
    // The theme's own rule, now under a query every browser matches.
    expect(dark).toMatch(/@media all\s*\{[^@]*#161412/);
    expect(withLook(html, AS_SENT)).toBe(html);
  });

  it('turns light-only rules off in dark mode, whatever the spacing', () => {
    const css = '@media(prefers-color-scheme:light){a{}} @media ( PREFERS-COLOR-SCHEME : DARK ) {b{}}';
    expect(inDarkMode(css)).toBe('@media not all{a{}} @media all {b{}}');
  });

  it('keeps every image’s box and alt text but loads none with images off', async () => {
    const html = await mailWithImages();
    const before = imgTags(html);
    expect(before).toHaveLength(2);
    const after = imgTags(withImagesOff(html));
    expect(after).toHaveLength(2);
    for (const tag of after) expect(tag).not.toMatch(/\ssrc(set)?=/);
    expect(after[0]).toContain(`alt="${ORGANISATION.organisationName}"`);
    expect(after[1]).toContain('alt="Marchers at the Capitol"');
    // Nothing but the source goes: the style that draws the alt text stays.
    expect(after[1]).toMatch(/style="[^"]*font-size:13px/);
  });

  it('drops every kind of image source, quoted or not', () => {
    const html = `<img alt="a" src='x.png'><IMG SRC=y.png alt="b"><img srcset="z.png 2x" alt="c" src="z.png">`;
    expect(withImagesOff(html)).toBe('<img alt="a"><IMG alt="b"><img alt="c">');
  });

  it('combines dark mode and images off', async () => {
    const both = withLook(await mailWithImages(), { scheme: 'dark', images: 'off' });
    expect(both).not.toMatch(/prefers-color-scheme/);
    expect(imgTags(both).some((tag) => / src=/.test(tag))).toBe(false);
  });
});

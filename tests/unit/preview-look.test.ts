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

  it('writes each image’s alt text in its place, in its style, and loads none with images off', async () => {
    const html = await mailWithImages();
    const image = imgTags(html).find((tag) => tag.includes('Marchers'))!;
    const off = withImagesOff(html);
    expect(imgTags(off)).toEqual([]);
    expect(off).not.toContain('https://news.example.org/march.jpg');
    expect(off).toContain(`>${ORGANISATION.organisationName}</span>`);
    const style = /style="([^"]*)"/.exec(image)![1]!;
    // The theme styles alt text (the mail's font, 16 px): the preview shows it in that style.
    expect(style).toMatch(/font-size: ?16px/);
    // The image's own style draws the alt text; the dashed line marks the image's place.
    expect(off).toContain(`style="${style.replace(/;?$/, ';')}border:1px dashed currentColor;`);
    expect(off).toMatch(/>Marchers at the Capitol<\/span>/);
  });

  it('leaves out an image without alt text, as clients do, and keeps an escaped alt text escaped', () => {
    const html = '<img src="a.png" alt=""><IMG SRC=b.png ALT="Tom &amp; Jerry &lt;3" style="width:100%">';
    expect(withImagesOff(html)).toBe(
      '<span class="image-off" style="width:100%;border:1px dashed currentColor;padding:8px;box-sizing:border-box">' +
        'Tom &amp; Jerry &lt;3</span>',
    );
  });

  it('combines dark mode and images off', async () => {
    const both = withLook(await mailWithImages(), { scheme: 'dark', images: 'off' });
    expect(both).not.toMatch(/prefers-color-scheme/);
    expect(imgTags(both)).toEqual([]);
  });
});

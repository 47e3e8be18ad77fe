// Markdown that took marked time in the square of its length, or overflowed its stack, reads in
// time in proportion to it, nested at most MAX_NESTING deep; ordinary Markdown reads as marked's
// own GFM reads it. How long the worst cases take is in docs/reliability.md ("Pathological
// content"); no test here times anything.
import fc from 'fast-check';
import { marked, Parser } from 'marked';
import { describe, expect, it } from 'vitest';
import { INLINE_RULES, lexMarkdown, MAX_NESTING } from '../../src/render/markdown-lexer.js';
import { markdownLinks, markdownToHtml, markdownToText } from '../../src/render/markdown.js';

/** The most a Markdown field holds (Localised in src/bulletins/document.ts). */
const FIELD = 20_000;
const fill = (unit: string, around = '') => unit.repeat(Math.floor((FIELD - around.length) / unit.length));

/** marked's own HTML of our tokens, before the sanitiser drops quotes and strikethrough. */
const htmlOf = (markdown: string) => Parser.parse(lexMarkdown(markdown));

/** How deep `tag` nests in `html`. */
function depth(html: string, tag: string): number {
  let deepest = 0;
  let now = 0;
  for (const [, close] of html.matchAll(new RegExp(`<(/?)${tag}>`, 'g'))) {
    now += close ? -1 : 1;
    deepest = Math.max(deepest, now);
  }
  return deepest;
}

describe('Markdown that marked read slowly or not at all', () => {
  it('links a mail address while its local part has at most 64 characters (RFC 5321), and no further', () => {
    expect(markdownLinks(`${'a'.repeat(64)}@nnirr.org`)).toEqual([`mailto:${'a'.repeat(64)}@nnirr.org`]);
    expect(markdownLinks(`write to ${'a'.repeat(65)}@nnirr.org`)).toEqual([]);
    expect(markdownLinks('write to info_us@nnirr.org.')).toEqual(['mailto:info_us@nnirr.org']);
  });

  it("takes a link's trailing punctuation off in one pass, not one character a pass", () => {
    const address = 'https://nnirr.org/a_(b)';
    for (const tail of [')', '.', ')'.repeat(1000), '._!?'.repeat(250)]) {
      expect(INLINE_RULES._backpedal.exec(address + tail)?.[0]).toBe(address);
    }
    expect(markdownLinks(`see https://nnirr.org/a${')'.repeat(FIELD - 30)}`)).toEqual(['https://nnirr.org/a']);
  });

  it(`reads quotes, lists, emphasis and strikethrough at most ${MAX_NESTING} deep, the rest as text`, () => {
    const cases: [string, string][] = [
      ['>'.repeat(2000), 'blockquote'],
      [`${'> '.repeat(2000)}a`, 'blockquote'],
      [`${'+ '.repeat(2000)}a`, 'ul'],
      [`${'1. '.repeat(2000)}a`, 'ol'],
      [`${'**'.repeat(2000)}a${'**'.repeat(2000)}`, 'strong'],
      [`${'~~a '.repeat(2000)}a${' a~~'.repeat(2000)}`, 'del'],
    ];
    for (const [markdown, tag] of cases) {
      const deepest = depth(htmlOf(markdown), tag);
      expect(deepest, `${markdown.slice(0, 12)}…`).toBeGreaterThan(0);
      expect(deepest, `${markdown.slice(0, 12)}…`).toBeLessThanOrEqual(MAX_NESTING);
      expect(markdownToHtml(markdown)).not.toBe('');
      expect(markdownToText(markdown)).not.toBe('');
    }
  });

  it('renders each of the worst texts found, a whole field of it', () => {
    const worst = [
      fill('_a'),
      fill('__a'),
      fill('*a'),
      fill('!'),
      fill('!a'),
      fill('a.', '@'),
      fill('<script'),
      fill('<style a'),
      fill('<!--'),
      fill('[a](%7B%7B'),
      fill('|a'),
      fill(' http://a_'),
      `www.nnirr.org${fill('.a?')}`,
    ];
    for (const markdown of worst) {
      expect(() => [markdownToHtml(markdown), markdownToText(markdown), markdownLinks(markdown)]).not.toThrow();
    }
  });
});

describe('ordinary Markdown', () => {
  it("reads as marked's own GFM reads it", () => {
    const pieces = ['a', '_', '*', '~', '.', ')', '(', '[', ']', '@', 'www.', 'https://', 'x.org', ' ', '\n', '> '];
    const more = ['- ', '1. ', ':', '&', 'amp;', '/', '`', '<', '>', '!', '?', 'mailto:', '|', '#'];
    const text = fc.array(fc.constantFrom(...pieces, ...more), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (markdown) => {
        expect(htmlOf(markdown)).toBe(marked.parse(markdown, { async: false }));
      }),
      { numRuns: 2000, seed: 17 },
    );
  });
});

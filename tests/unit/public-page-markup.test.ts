// The public pages' markup: React escapes every value, and a page starts with the doctype.
import { type ComponentProps, createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import { contrast } from '../../src/render/contrast.js';
import { Page } from '../../src/supporters/views/page.js';
import { renderFragment, renderPage } from '../../src/supporters/views/render-page.js';
import { ORGANISATION } from '../helpers/bulletins.js';

describe('public page markup', () => {
  it('escapes every value given, in text and in attributes', () => {
    expect(renderFragment(h('p', { title: `"><script>alert(1)</script>` }, `<b>Ben & Women's</b>`))).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&lt;b&gt;Ben &amp; Women&#x27;s&lt;/b&gt;</p>',
    );
  });

  it('leaves the style sheet as written, and starts a page with the doctype', () => {
    expect(renderPage(h('html', { lang: 'es' }, h('head', null, h('style', null, '.field > label { }'))))).toBe(
      '<!doctype html>\n<html lang="es"><head><style>.field > label { }</style></head></html>',
    );
  });

  it('keeps the header, buttons and links readable on a light brand colour (≥ 4.5:1)', () => {
    const settings = { ...ORGANISATION, brandColor: '#f2b705' };
    const css = renderPage(
      // children come as createElement's third argument, which its types do not count as the prop
      h(Page, { context: { settings, lang: 'en' }, title: 'Preferences' } as ComponentProps<typeof Page>, h('p')),
    );
    const rule = (selector: string) => new RegExp(`\\n\\s*${selector} \\{([^}]*)\\}`).exec(css)![1]!;
    const colour = (declarations: string, property: string) =>
      new RegExp(`(?:^|[;\\s])${property}: (#[0-9a-f]{6})`).exec(declarations)![1]!;
    for (const selector of ['header', 'button']) {
      const declarations = rule(selector);
      expect(
        contrast(colour(declarations, 'color'), colour(declarations, 'background')),
        selector,
      ).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrast(colour(rule('a'), 'color'), '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });
});

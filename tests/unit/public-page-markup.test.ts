// The public pages' markup: React escapes every value, and a page starts with the doctype.
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import { renderFragment, renderPage } from '../../src/supporters/views/render-page.js';

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
});

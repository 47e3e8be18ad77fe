// The public pages' markup: React escapes every value, and the markup reads as HTML5 is written.
import { createElement as h } from 'react';
import { describe, expect, it } from 'vitest';
import { renderFragment, renderPage } from '../../src/supporters/views/render-page.js';

describe('public page markup', () => {
  it('escapes every value given, in text and in attributes', () => {
    expect(renderFragment(h('p', { title: `"><script>alert(1)</script>` }, `<b>Ben & Women's</b>`))).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&lt;b&gt;Ben &amp; Women&#x27;s&lt;/b&gt;</p>',
    );
  });

  it('writes void tags without a slash, and booleans bare and last', () => {
    expect(
      renderFragment(
        h('p', null, h('br'), h('input', { type: 'checkbox', name: 'topics', value: 'border', defaultChecked: true })),
      ),
    ).toBe('<p><br><input type="checkbox" name="topics" value="border" checked></p>');
    expect(renderFragment(h('select', { defaultValue: 'es' }, h('option', { value: 'es' }, 'Español')))).toBe(
      '<select><option value="es" selected>Español</option></select>',
    );
  });

  it('writes attribute names in lower case', () => {
    expect(renderFragment(h('a', { href: '/x?a=1&b=2', hrefLang: 'es', tabIndex: -1 }, 'x'))).toBe(
      '<a href="/x?a=1&amp;b=2" hreflang="es" tabindex="-1">x</a>',
    );
  });

  it("keeps an input's name beside its id and a form's action after its method, where React moves them", () => {
    expect(renderFragment(h('input', { id: 'website', name: 'website', type: 'text', autoComplete: 'off' }))).toBe(
      '<input id="website" name="website" type="text" autocomplete="off">',
    );
    expect(renderFragment(h('form', { method: 'post', action: '?lang=es' }))).toBe(
      '<form method="post" action="?lang=es"></form>',
    );
  });

  it('leaves the style sheet as written, and starts a page with the doctype', () => {
    expect(renderPage(h('html', { lang: 'es' }, h('head', null, h('style', null, '.field > label { }'))))).toBe(
      '<!doctype html>\n<html lang="es"><head><style>.field > label { }</style></head></html>',
    );
  });
});

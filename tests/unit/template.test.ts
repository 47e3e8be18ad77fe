import { describe, expect, it } from 'vitest';
import { compileTemplate, fillTemplate, placeholderFields, type TemplateValues } from '../../src/render/template.js';
import { LinkSigner } from '../../src/signed-links.js';
import { markdownLinks, markdownToHtml, markdownToText } from '../../src/render/markdown.js';

const values: TemplateValues = {
  first_name: 'Ana',
  last_name: 'López',
  email: 'ana@example.org',
  unsubscribe_url: 'https://n.org/u/t?a=1&b=2',
  preferences_url: 'https://n.org/p/t',
  view_url: 'https://n.org/v/t',
};

describe('templates', () => {
  it('write a value for its place: element text, a whole link, part of a URL, plain text', () => {
    const html = compileTemplate(
      '<p>Hi {{first_name}}</p><a href="{{unsubscribe_url}}">x</a>' +
        '<a href="https://a.org/?e={{email}}">y</a><img alt="{{last_name}}">',
      'html',
    );
    expect(html.slots.map((s) => s.context)).toEqual(['html', 'attribute', 'url', 'attribute']);
    expect(fillTemplate(html, values)).toBe(
      '<p>Hi Ana</p><a href="https://n.org/u/t?a=1&amp;b=2">x</a>' +
        '<a href="https://a.org/?e=ana%40example.org">y</a><img alt="López">',
    );
    expect(fillTemplate(compileTemplate('Hi {{ first_name }} <{{email}}>', 'plain'), values)).toBe(
      'Hi Ana <ana@example.org>',
    );
  });

  it('fall back when a value is empty, and leave unknown fields as written', () => {
    const t = compileTemplate('{{first_name|dear friend}} {{nickname}}', 'plain');
    expect(fillTemplate(t, { ...values, first_name: '' })).toBe('dear friend {{nickname}}');
    expect(placeholderFields('{{a}} {{b|x}}')).toEqual(['a', 'b']);
  });
});

describe('Markdown subset', () => {
  it('renders paragraphs, bold, italic, links and lists, and nothing else', () => {
    const md =
      'One **bold** and *italic* [link](https://a.org).\n\n- first\n- second\n\n<div style="x">raw</div>\n\n# Heading';
    expect(markdownToHtml(md)).toBe(
      '<p>One <strong>bold</strong> and <em>italic</em> <a href="https://a.org">link</a>.</p>\n' +
        '<ul>\n<li>first</li>\n<li>second</li>\n</ul>\nraw<p>Heading</p>',
    );
    expect(markdownToText(md)).toBe('One bold and italic link (https://a.org).\n\n- first\n- second\n\nraw\n\nHeading');
  });

  it('keeps merge fields in link targets and lists the targets for the checks', () => {
    expect(markdownToHtml('[me](https://a.org/?e={{email}})')).toBe(
      '<p><a href="https://a.org/?e={{email}}">me</a></p>',
    );
    expect(markdownLinks('[a](https://a.org) and [b](mailto:b@c.org)')).toEqual(['https://a.org', 'mailto:b@c.org']);
  });

  it('drops relative, javascript: and data: link targets but keeps the words', () => {
    expect(markdownToHtml('[a](/local) [b](javascript:x) [c](data:text/html,x)')).toBe(
      '<p><a>a</a> <a>b</a> <a>c</a></p>',
    );
    expect(markdownToText('[b](javascript:x)')).toBe('b');
  });
});

describe('signed links', () => {
  const signer = new LinkSigner('s'.repeat(32));

  it('verify only for the purpose and key they were signed with', () => {
    const token = signer.sign('unsubscribe', '42');
    expect(signer.verify('unsubscribe', token)).toBe('42');
    expect(signer.verify('preferences', token)).toBeNull();
    expect(new LinkSigner('t'.repeat(32)).verify('unsubscribe', token)).toBeNull();
  });

  it('refuse a token whose payload or signature was changed', () => {
    const [payload, signature] = signer.sign('unsubscribe', '42').split('.');
    const other = Buffer.from('43').toString('base64url');
    expect(signer.verify('unsubscribe', `${other}.${signature}`)).toBeNull();
    expect(signer.verify('unsubscribe', `${payload}.${signature!.slice(0, -2)}AA`)).toBeNull();
    expect(signer.verify('unsubscribe', `${payload}`)).toBeNull();
    expect(signer.verify('unsubscribe', `${payload}.${signature}.x`)).toBeNull();
  });
});

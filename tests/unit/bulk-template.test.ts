// The SES stored template a bulk send uses, rendered as the SES emulator renders it (Handlebars,
// no escaping, which is what SES does), gives each reader exactly the copy a single send gives.
import { compileTemplateParts } from 'aws-ses-v2-local/dist/v2/renderTemplate.js';
import { describe, expect, it } from 'vitest';
import { bulkTemplate } from '../../src/render/bulk-template.js';
import { personalise, recipientValues } from '../../src/render/personalise.js';
import type { CompiledBulletin } from '../../src/render/render.js';
import { blockMarks, compileTemplate, type ShownBlocks } from '../../src/render/template.js';

const marks = blockMarks('n0nce');
const HTML =
  `<style>p{color:red}</style><p>Hi {{first_name|friend}} {{ last_name }}, {{ {{first_name}}}} \\{{email}}</p>` +
  `${marks.start(2)}<a href="{{unsubscribe_url}}">out</a> <a href="https://x.org/?who={{email}}">x</a>${marks.end(2)}` +
  `<p>{{unknown}} \\{{{{raw}}}} {{#if b2}}not ours{{/if}}</p>${marks.start(4)}<b>{{email}}</b>${marks.end(4)}`;
const TEXT = `Hi {{first_name|friend}} {{email}} {{view_url}}\\${marks.start(4)} only four${marks.end(4)} {{`;

function bulletin(subject: string): CompiledBulletin {
  return {
    language: 'en',
    subject: compileTemplate(subject, 'plain'),
    preheader: '',
    html: compileTemplate(HTML, 'html', 'n0nce'),
    text: compileTemplate(TEXT, 'plain', 'n0nce'),
    htmlBytes: 0,
    mjmlProblems: [],
  };
}

const LINKS = {
  unsubscribe: 'https://n.org/unsubscribe/t.o&k"en',
  preferences: 'https://n.org/preferences/t',
  view: 'https://n.org/archive',
};
const READERS = [
  { subscriberId: 1, email: 'ana@example.org', name: 'Ana López' },
  { subscriberId: 2, email: 'x@example.org', name: '<script>alert(1)</script> {{first_name}} & "Co" \\{{' },
  { subscriberId: 3, email: 'nobody@example.org', name: '' },
  { subscriberId: 4, email: 'o@example.org', name: '}}} {{{{raw}}}} {{#each x}}' },
];

/** As SES renders a stored template for one destination: the call's defaults under the entry's data. */
function renderAsSes(subject: string, reader: (typeof READERS)[number], shown: ShownBlocks) {
  const compiled = bulletin(subject);
  const template = bulkTemplate(compiled);
  const data = template.data(recipientValues(reader, LINKS), shown);
  // The data crosses the wire as JSON, as ReplacementTemplateData does.
  const entry = JSON.parse(JSON.stringify({ ...template.defaults, ...data }));
  const { content } = template;
  const rendered = compileTemplateParts({ Subject: content.subject, Html: content.html, Text: content.text })(entry);
  return { rendered, expected: personalise(compiled, reader, LINKS, shown) };
}

describe('a bulletin as an SES stored template', () => {
  for (const subject of ['News for {{first_name|you}} ', 'News {{ of }} the {week}\\ ']) {
    for (const shown of [undefined, new Set<number>(), new Set([2]), new Set([2, 4])]) {
      const blocks = shown ? [...shown].join(',') : 'all';
      it(`gives each reader the single send's copy (subject "${subject}", blocks ${blocks})`, () => {
        for (const reader of READERS) {
          const { rendered, expected } = renderAsSes(subject, reader, shown);
          expect(rendered.subject).toBe(expected.subject);
          expect(rendered.html).toBe(expected.html);
          expect(rendered.text).toBe(expected.text);
        }
      });
    }
  }

  it('escapes a hostile name once, and no text of a bulletin or a reader is read as Handlebars', () => {
    const { rendered } = renderAsSes('Hi {{first_name}}', READERS[1]!, undefined);
    expect(rendered.html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt; ');
    expect(rendered.html).toContain('{{first_name}} &amp; &quot;Co&quot; \\{{');
    expect(rendered.html).not.toContain('&amp;lt;');
    expect(rendered.html).toContain('{{#if b2}}not ours{{/if}}');
    expect(rendered.subject).toBe('Hi <script>alert(1)</script>');
    expect(rendered.text).toContain('Hi <script>alert(1)</script>');
  });

  it('keeps per-recipient parts out of the stored template', () => {
    const { content } = bulkTemplate(bulletin('Weekly'));
    expect(content.subject).toBe('Weekly');
    expect(content.html).not.toContain('unsubscribe');
    expect(content.html).toContain('{{#if b2}}');
    expect(content.text).toContain('{{#if b4}}');
  });
});

// The composer's rich text editor reads a Markdown body into its document and writes it back
// (src/ui/bulletins/markdown-doc.ts): the mail the server renders from the body must not change.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blockTexts } from '../../src/bulletins/block-fields.js';
import type { BulletinDocument } from '../../src/bulletins/document.js';
import { markdownToHtml, markdownToText } from '../../src/render/markdown.js';
import { docToMarkdown, markdownToDoc } from '../../src/ui/bulletins/markdown-doc.js';

const roundTrip = (markdown: string) => docToMarkdown(markdownToDoc(markdown));

/** Line ends between tags are not part of what the reader sees. */
const html = (markdown: string) => markdownToHtml(markdown).replace(/\n+/g, '\n');

/** The body written back renders the same HTML and plain text as the body read. */
function expectSameMail(markdown: string) {
  const written = roundTrip(markdown);
  expect(html(written), `HTML of ${JSON.stringify(written)}`).toBe(html(markdown));
  expect(markdownToText(written), `text of ${JSON.stringify(written)}`).toBe(markdownToText(markdown));
  // Written once more, it stays as it is.
  expect(roundTrip(written)).toBe(written);
}

const examplesDir = new URL('../../examples/', import.meta.url);
const bodies = readdirSync(examplesDir)
  .filter((file) => file.endsWith('.json'))
  .flatMap((file) => {
    const document = JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8')) as BulletinDocument;
    return document.blocks.flatMap((block, i) =>
      blockTexts(block)
        .filter((field) => field.markdown)
        .flatMap((field) =>
          Object.entries(field.text).map(([language, markdown]) => ({
            name: `${file} blocks[${i}].${field.field}.${language}`,
            markdown,
          })),
        ),
    );
  });

describe('every Markdown body of the examples', () => {
  it('has bodies to read', () => {
    expect(bodies.length).toBeGreaterThan(20);
  });

  it.each(bodies)('$name is written back exactly as it was', ({ markdown }) => {
    expect(roundTrip(markdown)).toBe(markdown);
  });
});

describe('a body read into the editor and written back', () => {
  it.each([
    ['bold, italic and both', 'A **bold** word, an *italic* one, and ***both***.'],
    ['underscores for emphasis', 'An _italic_ and a __bold__ word.'],
    ['emphasis inside a word', 'un**believ**able and in*cred*ible'],
    ['a link with bold inside', 'Read [the **full** report](https://example.org/report) today.'],
    ['bold around a link', '**Sign [the petition](https://example.org/sign) now**'],
    ['a mail link', 'Write to [us](mailto:info@example.org).'],
    ['bare addresses', 'See https://example.org/a_b or write to info@example.org.'],
    [
      'merge fields in text and links',
      'Hola {{first_name|amiga}}, [tu página](https://example.org/p?n={{first_name}}).',
    ],
    ['a merge field with a space in its fallback', 'Dear {{first_name|dear friend}}, [go](<https://x.org/{{a|b c}}>)'],
    ['an underscore in a merge field', '{{last_name}} and {{first_name|_}}'],
    ['escaped marks', 'Not bold: \\*\\*x\\*\\*, not a link: \\[a\\](b), a backslash: \\\\ and \\_x\\_'],
    ['characters that start blocks', '\\# not a heading\n\n\\- not a list\n\n1\\. not a number\n\n\\> not a quote'],
    ['hashtags', '#TakeTheSurvey and #SanctuaryNow\n\n#AtTheStart'],
    ['a bulleted list', 'Before:\n\n- one\n- **two**\n- [three](https://example.org)\n\nAfter.'],
    ['a numbered list from 3', '3. three\n4. four'],
    ['a loose list', '- one\n\n- two'],
    ['a nested list', '1. first\n   - a\n   - b\n2. second'],
    ['an item of two paragraphs', '- one\n\n  more of one\n- two'],
    ['two lists one after the other', '- a\n- b\n\n* c\n* d'],
    ['line breaks', 'First line\\\nsecond line  \nthird\nsoft'],
    ['entities', 'Tom &amp; Jerry &copy; 2024 &#42; &lt;b&gt; and a bare & sign'],
    ['raw HTML', 'Some <b>bold</b> and <span class="x">span</span> text\n\n<div>block <i>html</i></div>'],
    ['code', 'Use `<b>` and `**`\n\n```\nfenced *code*\n```'],
    ['headings, quotes and rules', '# Title\n\n> A quote with **bold**\n\n---\n\nAfter'],
    ['strikethrough and images', '~~gone~~ and ![alt](https://example.org/a.png)'],
    ['spaces at the edge of a mark', 'a** b **c and *x *y'],
    ['an unsafe link', '[click](javascript:alert(1)) and [parens](https://x.org/a_(b))'],
    ['Arabic text', 'مرحبا **{{first_name|صديقي}}**، اقرأ [التقرير](https://example.org/ar).'],
  ])('keeps %s', (_, markdown) => {
    expectSameMail(markdown);
  });
});

describe('the editor’s document written as Markdown', () => {
  const doc = (...content: object[]) => ({ type: 'doc', content: [{ type: 'paragraph', content }] });
  const text = (value: string, ...marks: string[]) => ({
    type: 'text',
    text: value,
    ...(marks.length
      ? { marks: marks.map((type) => (type === 'link' ? { type, attrs: { href: 'https://x.org' } } : { type })) }
      : {}),
  });

  it('escapes what the reader typed so it shows as typed', () => {
    expect(docToMarkdown(doc(text('2 * 3 = 6, [a](b), <b>, _x_, ~y~ and &amp;')))).toBe(
      '2 \\* 3 = 6, \\[a\\](b), \\<b>, \\_x\\_, \\~y\\~ and &amp;amp;',
    );
    expect(docToMarkdown(doc(text('# one\n- two\n3. three')))).toBe('\\# one\n\\- two\n3\\. three');
    expect(markdownToHtml(docToMarkdown(doc(text('*not bold* <i>no</i>'))))).toBe(
      '<p>*not bold* &lt;i&gt;no&lt;/i&gt;</p>',
    );
  });

  it('leaves merge fields as written', () => {
    expect(docToMarkdown(doc(text('Hi {{first_name|_amigo_}} *')))).toBe('Hi {{first_name|_amigo_}} \\*');
  });

  it('keeps spaces out of bold and italic, and leaves out marks on spaces alone', () => {
    expect(docToMarkdown(doc(text('a'), text(' bold ', 'bold'), text('b')))).toBe('a **bold** b');
    expect(docToMarkdown(doc(text('a'), text(' ', 'bold', 'italic'), text('b')))).toBe('a b');
  });

  it('nests marks that overlap', () => {
    expect(
      docToMarkdown(
        doc(
          text('all ', 'bold'),
          text('linked', 'bold', 'link'),
          text(' and ', 'link'),
          text('more', 'link', 'italic'),
        ),
      ),
    ).toBe('**all [linked](https://x.org)** [and *more*](https://x.org)');
  });

  it('leaves out line breaks at a paragraph’s edges', () => {
    expect(
      docToMarkdown(doc({ type: 'hardBreak' }, text('a'), { type: 'hardBreak' }, text('b'), { type: 'hardBreak' })),
    ).toBe('a\\\nb');
  });

  it('leaves out empty paragraphs', () => {
    expect(
      docToMarkdown({
        type: 'doc',
        content: [
          { type: 'paragraph', content: [text('a')] },
          { type: 'paragraph' },
          { type: 'paragraph', content: [text('b')] },
        ],
      }),
    ).toBe('a\n\nb');
  });
});

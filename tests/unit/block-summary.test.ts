// The line the composer shows for a collapsed block (src/ui/bulletins/block-summary.ts): its first
// text as words, Markdown's marks left out and the text's own characters kept.
import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/bulletins/document.js';
import { blockSummary, markdownLine } from '../../src/ui/bulletins/block-summary.js';

describe('the summary of a collapsed block', () => {
  it('keeps hyphens and underscores inside words', () => {
    expect(markdownLine('Free know-your-rights workshops')).toBe('Free know-your-rights workshops');
    expect(markdownLine('**Free** *know-your-rights* workshops')).toBe('Free know-your-rights workshops');
    expect(markdownLine('A dash - and a range, 2024-2025; snake_case_name')).toBe(
      'A dash - and a range, 2024-2025; snake_case_name',
    );
  });

  it('leaves out emphasis, code, heading, quote and list marks, keeping the words', () => {
    expect(markdownLine('__Strong__ and _em_ and ~~gone~~ and `code`')).toBe('Strong and em and gone and code');
    expect(markdownLine('# Heading\n> A quote\n> > nested')).toBe('Heading A quote nested');
    expect(markdownLine('- first item\n* second item\n+ third\n1. one\n2) two')).toBe(
      'first item second item third one two',
    );
    expect(markdownLine('Before\n\n---\n\nafter')).toBe('Before after');
    expect(markdownLine('¿Sabías que…? **Únete** a la red')).toBe('¿Sabías que…? Únete a la red');
  });

  it('keeps a link’s text, not its address', () => {
    expect(
      markdownLine('See [our know-how page](https://example.org/know_how_(2025)) or <https://example.org/a_b>'),
    ).toBe('See our know-how page or https://example.org/a_b');
    expect(markdownLine('An ![image](https://example.org/x.png) and <b>a tag</b>')).toBe('An image and a tag');
  });

  it('keeps a character written with a backslash before it', () => {
    expect(markdownLine('Escaped \\*stars\\* and \\_underscores\\_ and \\# hash')).toBe(
      'Escaped *stars* and _underscores_ and # hash',
    );
  });

  it('reads the block’s first text in the language asked, and an image’s address as it is', () => {
    const announcement: Block = {
      type: 'announcement',
      heading: { en: '', es: 'Talleres **gratuitos** de know-your-rights' },
      body: { en: 'Free *know-your-rights* workshops', es: 'Talleres' },
    };
    expect(blockSummary(announcement, 'en')).toBe('Free know-your-rights workshops');
    expect(blockSummary(announcement, 'es')).toBe('Talleres gratuitos de know-your-rights');
    const image: Block = { type: 'image', src: 'https://example.org/_uploads/rally_photo-1.jpg', alt: { en: '' } };
    expect(blockSummary(image, 'en')).toBe('https://example.org/_uploads/rally_photo-1.jpg');
    expect(blockSummary({ type: 'text', body: { en: `**${'word '.repeat(40)}**` } }, 'en')).toHaveLength(90);
  });
});

import { describe, expect, it } from 'vitest';
import { BulletinDocument } from '../../src/bulletins/document.js';
import { blockAudiences, blockGates, NO_BLOCKS, shownBlocks } from '../../src/render/block-audiences.js';
import { personalise } from '../../src/render/personalise.js';
import { renderBulletin } from '../../src/render/render.js';
import {
  blockMarks,
  compileTemplate,
  fillTemplate,
  type TemplateValues,
  withoutBounds,
} from '../../src/render/template.js';
import { exampleBulletin, ORGANISATION } from '../helpers/bulletins.js';

const values: TemplateValues = {
  first_name: 'Ana',
  last_name: 'López',
  email: 'ana@example.org',
  unsubscribe_url: 'https://n.org/u/t?a=1&b=2',
  preferences_url: 'https://n.org/p/t',
  view_url: 'https://n.org/v/t',
};
const LINKS = { unsubscribe: 'https://n.org/u/x', preferences: 'https://n.org/p/x', view: 'https://n.org/archive' };
const ANA = { subscriberId: 1, email: 'ana@example.org', name: 'Ana López' };

describe('templates cut at the bounds of blocks with an audience', () => {
  const marks = blockMarks('n0nce');
  const source =
    `<p>Hi {{first_name}}</p>${marks.start(2)}<a href="{{view_url}}">two</a>${marks.end(2)}<p>mid</p>` +
    `${marks.start(5)}<b>{{email}}</b>${marks.end(5)}<p>end</p>`;

  it('writes a block only for a reader shown it, placeholders and all', () => {
    const template = compileTemplate(source, 'html', 'n0nce');
    expect(fillTemplate(template, values, new Set([2]))).toBe(
      '<p>Hi Ana</p><a href="https://n.org/v/t">two</a><p>mid</p><p>end</p>',
    );
    expect(fillTemplate(template, values, new Set([5]))).toBe(
      '<p>Hi Ana</p><p>mid</p><b>ana@example.org</b><p>end</p>',
    );
    expect(fillTemplate(template, values, NO_BLOCKS)).toBe('<p>Hi Ana</p><p>mid</p><p>end</p>');
    expect(fillTemplate(template, values)).toBe(
      '<p>Hi Ana</p><a href="https://n.org/v/t">two</a><p>mid</p><b>ana@example.org</b><p>end</p>',
    );
  });

  it('reads a placeholder in its place in the whole source', () => {
    const template = compileTemplate(source, 'html', 'n0nce');
    expect('sections' in template && template.sections.flatMap((s) => s.slots.map((x) => x.context))).toEqual([
      'html',
      'attribute',
      'html',
    ]);
  });

  it('ignores bounds made with another nonce: text cannot forge one', () => {
    const forged = `<p>a</p>${blockMarks('guess').start(1)}<p>b</p>${blockMarks('guess').end(1)}`;
    const template = compileTemplate(forged, 'html', 'n0nce');
    expect('sections' in template).toBe(false);
    expect(fillTemplate(template, values, NO_BLOCKS)).toBe(forged);
  });

  it('counts the bytes of the output without its bounds', () => {
    expect(withoutBounds(source, 'n0nce')).toBe(
      '<p>Hi {{first_name}}</p><a href="{{view_url}}">two</a><p>mid</p><b>{{email}}</b><p>end</p>',
    );
  });

  it('refuses bounds out of order', () => {
    expect(() => compileTemplate(`${marks.start(1)}${marks.start(2)}`, 'plain', 'n0nce')).toThrow(/out of order/);
    expect(() => compileTemplate(`${marks.start(1)}x`, 'plain', 'n0nce')).toThrow(/no end/);
  });

  it('fills a template stored before sections existed', () => {
    const stored = JSON.parse(JSON.stringify(compileTemplate('Hi {{first_name}}!', 'plain')));
    expect(fillTemplate(stored, values, NO_BLOCKS)).toBe('Hi Ana!');
  });
});

describe('a rendered bulletin with blocks with an audience', () => {
  const doc = exampleBulletin();
  const audienced = BulletinDocument.parse({
    ...doc,
    blocks: doc.blocks.map((b, i) =>
      i === 7
        ? { ...b, audience: { not: { tag: 'signed' } } }
        : i === 9
          ? { ...b, audience: { attribute: 'state', op: 'eq', value: 'TX' } }
          : b,
    ),
  });
  const petition = doc.blocks[7]!.type === 'call_to_action' ? doc.blocks[7]!.heading.en! : '';
  const survey = doc.blocks[9]!.type === 'survey' ? doc.blocks[9]!.heading.en! : '';

  it('leaves whole, balanced HTML when a block is cut out, Outlook tables and all', async () => {
    const compiled = await renderBulletin(audienced, 'en', { settings: ORGANISATION });
    // The divider between the two goes with them: a reader who gets neither gets no line there.
    expect(compiled.audiences).toEqual([
      { block: 7, rule: { not: { tag: 'signed' } } },
      { block: 8, rule: { all: [{ not: { tag: 'signed' } }, { attribute: 'state', op: 'eq', value: 'TX' }] } },
      { block: 9, rule: { attribute: 'state', op: 'eq', value: 'TX' } },
    ]);
    const full = personalise(compiled, ANA, LINKS).html;
    const none = personalise(compiled, ANA, LINKS, NO_BLOCKS);
    // Every block, as a preview shows them; each block with an audience in an Outlook table of its own.
    expect(full).toContain(petition);
    expect(full).toContain(survey);
    expect(none.html).not.toContain(petition);
    expect(none.html).not.toContain(survey);
    expect(none.text).not.toContain(petition);
    expect(none.html).not.toContain('%%');
    const count = (html: string, re: RegExp) => html.match(re)?.length ?? 0;
    for (const html of [full, none.html]) {
      expect(count(html, /<!--\[if mso \| IE\]><table/g)).toBe(count(html, /<\/table><!\[endif\]-->/g));
      expect(count(html, /<table/g)).toBe(count(html, /<\/table>/g));
      expect(count(html, /<div/g)).toBe(count(html, /<\/div>/g));
    }
  });

  it('writes the text part without a gap where a block is left out', async () => {
    const compiled = await renderBulletin(audienced, 'en', { settings: ORGANISATION });
    const text = personalise(compiled, ANA, LINKS, new Set([9])).text;
    expect(text).toContain(survey);
    expect(text).not.toContain(petition);
    expect(text).not.toMatch(/\n\n\n/);
    expect(personalise(compiled, ANA, LINKS).text).toBe(
      personalise(await renderBulletin(doc, 'en', { settings: ORGANISATION }), ANA, LINKS).text,
    );
  });

  it('labels each block with an audience in a staff copy, in HTML and text', async () => {
    const compiled = await renderBulletin(audienced, 'en', { settings: ORGANISATION, labelAudiences: true });
    const { html, text } = personalise(compiled, ANA, LINKS);
    expect(html).toContain('Shown to: readers without the tag signed');
    expect(html).toContain('Shown to: readers whose attribute state is &quot;TX&quot;');
    expect(text).toContain('[Shown to: readers without the tag signed]\n');
    expect(html.indexOf('Shown to: readers without')).toBeLessThan(html.indexOf(petition));
  });

  it('shows each reader the blocks their row matches', () => {
    const gates = blockGates([
      { block: 7, rule: { not: { tag: 'signed' } } },
      { block: 9, rule: { attribute: 'state', op: 'eq', value: 'TX' } },
    ]);
    const reader = (tags: string[], attributes: Record<string, unknown>) => ({
      language: 'en',
      email: 'a@b.org',
      createdAt: '2025-01-01T00:00:00.000Z',
      tags: new Set(tags),
      topics: new Set<string>(),
      attributes,
    });
    expect([...shownBlocks(gates, reader([], { state: 'TX' }))]).toEqual([7, 9]);
    expect([...shownBlocks(gates, reader(['signed'], { state: 'CA' }))]).toEqual([]);
    expect(blockGates(undefined)).toEqual([]);
  });

  describe('a divider beside blocks a reader may not get', () => {
    const X = { tag: 'x' };
    const Y = { tag: 'y' };
    const divider = { type: 'divider' } as const;
    const text = (audience?: typeof X) =>
      ({ type: 'text', body: { en: 'Words' }, ...(audience ? { audience } : {}) }) as const;

    it.each([
      ['between two dividers takes the second', [divider, text(X), divider], [undefined, X, X]],
      [
        'after a block, before a divider, takes none',
        [text(), text(X), divider, text()],
        [undefined, X, undefined, undefined],
      ],
      ['first takes the divider after it', [text(X), divider, text()], [X, X, undefined]],
      ['last takes the divider before it', [text(), divider, text(X)], [undefined, X, X]],
      [
        'a run takes the divider when any of it is shown',
        [divider, text(X), text(Y), divider],
        [undefined, X, Y, { any: [X, Y] }],
      ],
      ['a divider between two runs needs both', [text(X), divider, text(Y)], [X, { all: [X, Y] }, Y]],
    ] as const)('a block with an audience %s', (_, blocks, expected) => {
      expect(blockAudiences(blocks as never)).toEqual(expected);
    });

    it("keeps a divider's own audience", () => {
      const own = { ...divider, audience: Y };
      expect(blockAudiences([divider, text(X), own, text()] as never)).toEqual([undefined, X, Y, undefined]);
    });

    it('leaves one line, not two, where a block between dividers is left out of the mail', async () => {
      // The example's block 5 stands between the dividers 4 and 6.
      const doc = exampleBulletin();
      expect([doc.blocks[4]!.type, doc.blocks[6]!.type]).toEqual(['divider', 'divider']);
      doc.blocks[5] = { ...doc.blocks[5]!, audience: { language: ['es'] } };
      const compiled = await renderBulletin(doc, 'en', { settings: ORGANISATION });
      const lines = (shown: ReadonlySet<number>) =>
        personalise(compiled, ANA, LINKS, shown).html.split('<p style="border-top:solid').length - 1;
      const gates = blockGates(compiled.audiences);
      const reader = (language: string) => ({
        language,
        email: 'a@b.org',
        createdAt: '2025-01-01T00:00:00.000Z',
        tags: new Set<string>(),
        topics: new Set<string>(),
        attributes: {},
      });
      expect(lines(shownBlocks(gates, reader('en')))).toBe(lines(shownBlocks(gates, reader('es'))) - 1);
      expect(lines(shownBlocks(gates, reader('es')))).toBe(lines(new Set([5, 6])));
    });
  });
});

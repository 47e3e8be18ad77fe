// What the versions list says changed between two versions (src/bulletins/version-diff.ts): blocks
// added, removed and moved by type and heading, fields edited per language, the settings.
import { describe, expect, it } from 'vitest';
import type { Block, BulletinDocument } from '../../src/bulletins/document.js';
import { diffDocuments } from '../../src/bulletins/version-diff.js';
import { exampleBulletin } from '../helpers/bulletins.js';

const texts = (before: BulletinDocument, after: BulletinDocument) => diffDocuments(before, after).map((c) => c.text);

/** The example bulletin (en, es; ten blocks) with `change` applied to a copy. */
function edited(change: (doc: BulletinDocument) => void): [BulletinDocument, BulletinDocument] {
  const before = exampleBulletin();
  const after = structuredClone(before);
  change(after);
  return [before, after];
}

const callToAction: Block = {
  type: 'call_to_action',
  heading: { en: 'Sign the petition', es: 'Firma la petición' },
  body: { en: 'Today.', es: 'Hoy.' },
  button: { href: 'https://example.org/sign', label: { en: 'Sign', es: 'Firma' } },
};

describe('what changed between two versions', () => {
  it('finds nothing between a version and an identical copy, whatever the key order', () => {
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reversed(v)]),
            )
          : value;
    const before = exampleBulletin();
    const after = reversed(before) as BulletinDocument;
    expect(JSON.stringify(after)).not.toBe(JSON.stringify(before));
    expect(diffDocuments(before, after)).toEqual([]);
  });

  it('names an added block by its type and heading, in the first language', () => {
    const [before, after] = edited((doc) => doc.blocks.splice(2, 0, callToAction));
    expect(diffDocuments(before, after)).toEqual([
      { kind: 'block_added', text: 'Added call to action “Sign the petition”', block: 3 },
    ]);
  });

  it('names a block in Spanish when Spanish is the first language', () => {
    const [before, after] = edited((doc) => {
      doc.languages = ['es', 'en'];
      doc.blocks.push(callToAction);
    });
    expect(texts(before, after)).toEqual([
      'Made Spanish the first language',
      'Added call to action “Firma la petición”',
    ]);
  });

  it('names a removed block and its place in the older version', () => {
    const [before, after] = edited((doc) => doc.blocks.splice(2, 1));
    expect(diffDocuments(before, after)).toEqual([
      {
        kind: 'block_removed',
        text: 'Removed statement “NNIRR closes the consultation ahead of the GCM Regional Rev…”',
        block: 3,
      },
    ]);
  });

  it('says a block without a heading by its type alone', () => {
    const [before, after] = edited((doc) => doc.blocks.push({ type: 'divider' }, { type: 'text', body: {} }));
    expect(texts(before, after)).toEqual(['Added divider', 'Added text']);
  });

  it('says which block moved up, not that the others moved down', () => {
    const [before, after] = edited((doc) => {
      const [statement] = doc.blocks.splice(2, 1);
      doc.blocks.unshift(statement!);
    });
    expect(diffDocuments(before, after)).toEqual([
      {
        kind: 'block_moved',
        text: 'Moved statement “NNIRR closes the consultation ahead of the GCM Regional Rev…” up',
        block: 1,
      },
    ]);
  });

  it('says a block moved to the end moved down', () => {
    const [before, after] = edited((doc) => doc.blocks.push(doc.blocks.shift()!));
    expect(texts(before, after)).toEqual(['Moved announcement “Our new website is live” down']);
  });

  it('names the field and the language of an edit, and the block by its place', () => {
    const [before, after] = edited((doc) => {
      const block = doc.blocks[0] as Extract<Block, { type: 'announcement' }>;
      block.body.en += ' More.';
    });
    expect(diffDocuments(before, after)).toEqual([
      {
        kind: 'block_edited',
        text: 'Edited English body of block 1',
        block: 1,
        field: 'body',
        language: 'en',
        before: (before.blocks[0] as Extract<Block, { type: 'announcement' }>).body.en,
        after: (after.blocks[0] as Extract<Block, { type: 'announcement' }>).body.en,
      },
    ]);
  });

  it('names nested fields by their labels, and fields without a language without one', () => {
    const [before, after] = edited((doc) => {
      const cta = doc.blocks[7] as Extract<Block, { type: 'call_to_action' }>;
      cta.button.label.es = 'Firma ya';
      cta.button.href = 'https://example.org/other';
      const statement = doc.blocks[2] as Extract<Block, { type: 'statement' }>;
      statement.speaker = 'Someone else';
    });
    expect(texts(before, after)).toEqual([
      'Edited speaker of block 3',
      'Edited button URL of block 8',
      'Edited Spanish button text of block 8',
    ]);
  });

  it('names the language of a per-language address or hashtag list that changed', () => {
    const localised = (doc: BulletinDocument) => {
      const cta = doc.blocks[7] as Extract<Block, { type: 'call_to_action' }>;
      cta.button.href = { en: 'https://example.org/sign', es: 'https://example.org/es/firma' };
      const survey = doc.blocks[9] as Extract<Block, { type: 'survey' }>;
      survey.hashtags = { en: ['#OurBorder'], es: ['#NuestraFrontera'] };
    };
    const [, before] = edited(localised);
    const after = structuredClone(before);
    (after.blocks[7] as Extract<Block, { type: 'call_to_action' }>).button.href = {
      en: 'https://example.org/sign',
      es: 'https://example.org/es/peticion',
    };
    (after.blocks[9] as Extract<Block, { type: 'survey' }>).hashtags = { en: ['#OurBorder'], es: ['#Frontera'] };
    expect(texts(before, after)).toEqual([
      'Edited Spanish button URL of block 8',
      'Edited Spanish hashtags of block 10',
    ]);
    expect(diffDocuments(before, after)[0]).toMatchObject({
      field: 'button.href',
      language: 'es',
      before: 'https://example.org/es/firma',
      after: 'https://example.org/es/peticion',
    });
  });

  it('counts a list as one field per language', () => {
    const [before, after] = edited((doc) => {
      const survey = doc.blocks[9] as Extract<Block, { type: 'survey' }>;
      survey.items = [...(survey.items ?? []), { en: 'One more', es: 'Una más' }];
      survey.hashtags = [...((survey.hashtags as string[] | undefined) ?? []), '#more'];
    });
    expect(texts(before, after)).toEqual([
      'Edited English list items of block 10',
      'Edited Spanish list items of block 10',
      'Edited hashtags of block 10',
    ]);
  });

  it('says which language became the first, or that the others were reordered', () => {
    const [before, after] = edited((doc) => {
      doc.languages = ['en', 'es', 'fr'];
    });
    const reordered = { ...after, languages: ['en', 'fr', 'es'] };
    expect(texts(after, reordered)).toEqual(['Reordered the languages']);
    expect(texts(before, { ...before, languages: ['es', 'en'] })).toEqual(['Made Spanish the first language']);
  });

  it('says a language removed once, not once for each of its texts', () => {
    const [before, after] = edited((doc) => {
      doc.languages = ['en'];
      delete doc.subject.es;
      delete (doc.blocks[0] as Extract<Block, { type: 'announcement' }>).heading.es;
    });
    expect(texts(before, after)).toEqual(['Removed the Spanish language']);
  });

  it('takes a missing translation and an empty one as the same', () => {
    const [before, after] = edited((doc) => {
      doc.languages.push('fr');
      doc.subject.fr = '';
      (doc.blocks[0] as Extract<Block, { type: 'announcement' }>).heading.fr = '';
    });
    expect(texts(before, after)).toEqual(['Added the French language']);
  });

  it('names edits to the settings: title, languages, subject, preheader and topic', () => {
    const [before, after] = edited((doc) => {
      doc.title = 'A new title';
      doc.languages = ['es', 'en', 'fr'];
      doc.subject.es = 'Otro asunto';
      doc.preheader = { ...doc.preheader, en: 'Read on' };
      doc.topic = 'urgent';
    });
    expect(texts(before, after)).toEqual([
      'Edited title',
      'Added the French language',
      'Made Spanish the first language',
      'Edited Spanish subject',
      'Edited English preheader',
      'Changed the topic from “weekly-bulletin” to “urgent”',
    ]);
    const [, untopical] = edited((doc) => delete doc.topic);
    expect(texts(before, untopical)).toEqual(['Removed the topic “weekly-bulletin”']);
    expect(texts(untopical, before)).toEqual(['Set the topic to “weekly-bulletin”']);
  });

  it('takes a block rewritten in place as edited, not as removed and added', () => {
    const [before, after] = edited((doc) => {
      doc.blocks[3] = { type: 'text', body: { en: 'Entirely new words', es: 'Palabras nuevas' } };
    });
    expect(texts(before, after)).toEqual(['Edited English body of block 4', 'Edited Spanish body of block 4']);
  });

  it('takes a block of another type in the same place as removed and added', () => {
    const [before, after] = edited((doc) => {
      doc.blocks[3] = { type: 'image', src: 'https://example.org/a.png', alt: { en: 'A march' } };
    });
    expect(texts(before, after)).toEqual(['Removed text', 'Added image “A march”']);
  });

  it('follows a block that moved while it was edited', () => {
    const [before, after] = edited((doc) => {
      const [cta] = doc.blocks.splice(7, 1) as [Extract<Block, { type: 'call_to_action' }>];
      cta.body.en += ' Please.';
      doc.blocks.unshift(cta);
    });
    expect(texts(before, after)).toEqual([
      'Moved call to action “Sign the petition: President Biden, keep your promise to re…” up',
      'Edited English body of block 1',
    ]);
  });

  it('tells apart identical blocks by their place: one divider removed is one change', () => {
    const [before, after] = edited((doc) => doc.blocks.splice(4, 1));
    expect(diffDocuments(before, after)).toEqual([{ kind: 'block_removed', text: 'Removed divider', block: 5 }]);
  });

  it('says an identical block that moved moved, not that one went and another came', () => {
    const [before, after] = edited((doc) => doc.blocks.push(...doc.blocks.splice(1, 1)));
    expect(diffDocuments(before, after)).toEqual([{ kind: 'block_moved', text: 'Moved divider down', block: 10 }]);
  });

  it('lists several changes in one save in the newer order, removals first', () => {
    const [before, after] = edited((doc) => {
      doc.blocks.splice(1, 1);
      doc.blocks.push(callToAction);
      (doc.blocks[0] as Extract<Block, { type: 'announcement' }>).heading.es = 'Nueva web';
    });
    expect(texts(before, after)).toEqual([
      'Removed divider',
      'Edited Spanish heading of block 1',
      'Added call to action “Sign the petition”',
    ]);
  });

  it('shortens a long heading in a block name', () => {
    const [before, after] = edited((doc) =>
      doc.blocks.push({ ...callToAction, heading: { en: 'x'.repeat(100), es: '' } } as Block),
    );
    expect(texts(before, after)).toEqual([`Added call to action “${'x'.repeat(59)}…”`]);
  });

  it("tells a block's audience set, changed and removed, in words", () => {
    const [before, after] = edited((doc) => {
      doc.blocks[1] = { ...doc.blocks[1]!, audience: { not: { tag: 'signed-petition' } } };
    });
    expect(diffDocuments(before, after)).toEqual([
      {
        kind: 'block_edited',
        text: 'Edited audience of block 2',
        block: 2,
        field: 'audience',
        before: 'everyone',
        after: 'readers without the tag signed-petition',
      },
    ]);
    const changed = structuredClone(after);
    changed.blocks[1] = { ...changed.blocks[1]!, audience: { all: [{ tag: 'donor' }, { language: ['es', 'pt-BR'] }] } };
    expect(diffDocuments(after, changed).map((c) => [c.text, c.before, c.after])).toEqual([
      [
        'Edited audience of block 2',
        'readers without the tag signed-petition',
        'readers with the tag donor and reading in Spanish or Brazilian Portuguese',
      ],
    ]);
    expect(diffDocuments(changed, before).map((c) => c.after)).toEqual(['everyone']);
  });
});

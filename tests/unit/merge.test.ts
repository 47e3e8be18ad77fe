// Two people's saves of one bulletin merged (src/bulletins/merge.ts): what only one side changed
// is taken, the same field changed both ways is a conflict with both values, and blocks are
// followed through additions, removals and moves.
import { describe, expect, it } from 'vitest';
import type { Block, BulletinDocument } from '../../src/bulletins/document.js';
import { mergeDocuments, resolveMerge } from '../../src/bulletins/merge.js';
import { exampleBulletin } from '../helpers/bulletins.js';

/** The example bulletin (en, es; ten blocks), and two copies changed each its own way. */
function sides(
  mineChange: (doc: BulletinDocument) => void,
  theirsChange: (doc: BulletinDocument) => void,
): [BulletinDocument, BulletinDocument, BulletinDocument] {
  const base = exampleBulletin();
  const mine = structuredClone(base);
  const theirs = structuredClone(base);
  mineChange(mine);
  theirsChange(theirs);
  return [base, mine, theirs];
}

const announcement = (doc: BulletinDocument, at: number) => doc.blocks[at] as Extract<Block, { type: 'announcement' }>;

const callToAction: Block = {
  type: 'call_to_action',
  heading: { en: 'Sign the petition', es: 'Firma la petición' },
  body: { en: 'Today.', es: 'Hoy.' },
  button: { href: 'https://example.org/sign', label: { en: 'Sign', es: 'Firma' } },
};

describe('merging two saves made on one version', () => {
  it('takes each side where only that side changed: English heading here, Spanish body there', () => {
    const [base, mine, theirs] = sides(
      (doc) => {
        announcement(doc, 0).heading.en = 'A new heading';
        doc.subject.en = 'New subject';
      },
      (doc) => {
        announcement(doc, 0).body.es = 'Un cuerpo nuevo';
        doc.subject.es = 'Asunto nuevo';
      },
    );
    const merge = mergeDocuments(base, mine, theirs);
    expect(merge.conflicts).toEqual([]);
    expect(announcement(merge.document, 0).heading).toEqual({ ...announcement(base, 0).heading, en: 'A new heading' });
    expect(announcement(merge.document, 0).body).toEqual({ ...announcement(base, 0).body, es: 'Un cuerpo nuevo' });
    expect(merge.document.subject).toEqual({ en: 'New subject', es: 'Asunto nuevo' });
    expect(merge.document.blocks.slice(1)).toEqual(base.blocks.slice(1));
    expect(merge.blocks).toEqual(base.blocks.map((_, i) => ({ mine: i, theirs: i })));
  });

  it('takes a change both sides made alike without asking', () => {
    const [base, mine, theirs] = sides(
      (doc) => {
        doc.title = 'Same';
      },
      (doc) => {
        doc.title = 'Same';
      },
    );
    expect(mergeDocuments(base, mine, theirs)).toMatchObject({ conflicts: [], document: { title: 'Same' } });
  });

  it('offers both values of a field both sides changed, and keeps the choice', () => {
    const [base, mine, theirs] = sides(
      (doc) => {
        announcement(doc, 5).heading.es = 'Mío';
        doc.subject.en = 'Mine';
      },
      (doc) => {
        announcement(doc, 5).heading.es = 'Suyo';
        doc.subject.en = 'Theirs';
        doc.subject.es = 'Suyo';
      },
    );
    const merge = mergeDocuments(base, mine, theirs);
    expect(merge.conflicts).toEqual([
      { id: 'subject.en', label: 'Subject (English)', mine: 'Mine', theirs: 'Theirs' },
      { id: 'blocks[5].heading.es', label: 'Block 6, announcement: Heading (Spanish)', mine: 'Mío', theirs: 'Suyo' },
    ]);
    const chosen = resolveMerge(merge, { 'subject.en': 'theirs' }).document;
    expect(chosen.subject).toEqual({ en: 'Theirs', es: 'Suyo' });
    expect(announcement(chosen, 5).heading.es).toBe('Mío');
    expect(announcement(resolveMerge(merge, { 'blocks[5].heading.es': 'theirs' }).document, 5).heading.es).toBe('Suyo');
  });

  it('keeps blocks added on both sides, each after the block it follows on its side', () => {
    const [base, mine, theirs] = sides(
      (doc) => {
        doc.blocks.splice(1, 0, { type: 'text', body: { en: 'Mine', es: 'Mío' } });
      },
      (doc) => {
        doc.blocks.push(callToAction);
        announcement(doc, 0).heading.es = 'Otro título';
      },
    );
    const merge = mergeDocuments(base, mine, theirs);
    expect(merge.conflicts).toEqual([]);
    expect(merge.document.blocks).toHaveLength(12);
    expect(merge.document.blocks[1]).toEqual({ type: 'text', body: { en: 'Mine', es: 'Mío' } });
    expect(merge.document.blocks[11]).toEqual(callToAction);
    expect(announcement(merge.document, 0).heading.es).toBe('Otro título');
    expect(merge.blocks[1]).toEqual({ mine: 1 });
    expect(merge.blocks[11]).toEqual({ theirs: 10 });
  });

  it('removes a block one side removed and the other left alone, and keeps the other side’s edits elsewhere', () => {
    const [base, mine, theirs] = sides(
      (doc) => {
        doc.blocks.splice(3, 1);
      },
      (doc) => {
        announcement(doc, 5).body.en = 'Edited';
      },
    );
    const merge = mergeDocuments(base, mine, theirs);
    expect(merge.conflicts).toEqual([]);
    expect(merge.document.blocks.map((b) => b.type)).toEqual(mine.blocks.map((b) => b.type));
    expect(announcement(merge.document, 4).body.en).toBe('Edited');
  });

  it('asks about a block one side removed and the other edited, keeping it until someone chooses', () => {
    const [base, mine, theirs] = sides(
      (doc) => {
        announcement(doc, 5).body.en = 'Still needed';
      },
      (doc) => {
        doc.blocks.splice(5, 1);
      },
    );
    const merge = mergeDocuments(base, mine, theirs);
    expect(merge.conflicts).toEqual([
      { id: 'blocks[5]', label: 'Block 6, announcement', mine: mine.blocks[5], theirs: undefined },
    ]);
    expect(merge.document.blocks).toEqual(mine.blocks);
    expect(resolveMerge(merge, {}).document.blocks).toEqual(mine.blocks);
    const removed = resolveMerge(merge, { 'blocks[5]': 'theirs' });
    expect(removed.document.blocks).toEqual(theirs.blocks);
    expect(removed.blocks).toHaveLength(9);
  });

  it('follows a moved block: one side moves it, the other edits it, both changes kept', () => {
    const [base, mine, theirs] = sides(
      (doc) => {
        const [cta] = doc.blocks.splice(7, 1);
        doc.blocks.unshift(cta!);
      },
      (doc) => {
        (doc.blocks[7] as Extract<Block, { type: 'call_to_action' }>).button.label.es = 'Firma ya';
      },
    );
    const merge = mergeDocuments(base, mine, theirs);
    expect(merge.conflicts).toEqual([]);
    expect(merge.document.blocks[0]).toMatchObject({ type: 'call_to_action', button: { label: { es: 'Firma ya' } } });
    expect(merge.document.blocks).toHaveLength(10);
  });

  it('merges a list as one field: the same list changed both ways is a conflict', () => {
    const [base, mine, theirs] = sides(
      (doc) => {
        doc.languages = ['en', 'es', 'fr'];
      },
      (doc) => {
        doc.languages = ['es', 'en'];
      },
    );
    expect(mergeDocuments(base, mine, theirs).conflicts).toEqual([
      { id: 'languages', label: 'Languages', mine: ['en', 'es', 'fr'], theirs: ['es', 'en'] },
    ]);
  });

  it("merges a block's audience whole: two different rules are a conflict, never a mix of both", () => {
    const [base, mine, theirs] = sides(
      (doc) => {
        doc.blocks[1] = { ...doc.blocks[1]!, audience: { language: ['es'] } };
      },
      (doc) => {
        doc.blocks[1] = { ...doc.blocks[1]!, audience: { tag: 'signed-petition' } };
      },
    );
    const merge = mergeDocuments(base, mine, theirs);
    expect(merge.conflicts).toEqual([
      {
        id: 'blocks[1].audience',
        label: `Block 2, ${base.blocks[1]!.type.replaceAll('_', ' ')}: Audience`,
        mine: { language: ['es'] },
        theirs: { tag: 'signed-petition' },
      },
    ]);
    expect(resolveMerge(merge, { 'blocks[1].audience': 'theirs' }).document.blocks[1]!.audience).toEqual({
      tag: 'signed-petition',
    });
    expect(resolveMerge(merge, {}).document.blocks[1]!.audience).toEqual({ language: ['es'] });
  });

  it('takes the one side that changed an audience, and asks when one side changed it and the other removed it', () => {
    const withAudience = exampleBulletin();
    withAudience.blocks[1] = { ...withAudience.blocks[1]!, audience: { tag: 'press' } };
    const mine = structuredClone(withAudience);
    const theirs = structuredClone(withAudience);
    mine.blocks[1] = { ...mine.blocks[1]!, audience: { not: { tag: 'press' } } };
    announcement(theirs, 0).heading.en = 'Elsewhere';
    const merged = mergeDocuments(withAudience, mine, theirs);
    expect(merged.conflicts).toEqual([]);
    expect(merged.document.blocks[1]!.audience).toEqual({ not: { tag: 'press' } });

    const { audience: _, ...everyone } = theirs.blocks[1]!;
    theirs.blocks[1] = everyone as Block;
    const removed = mergeDocuments(withAudience, mine, theirs);
    expect(removed.conflicts.map((c) => [c.id, c.mine, c.theirs])).toEqual([
      ['blocks[1].audience', { not: { tag: 'press' } }, undefined],
    ]);
    expect(resolveMerge(removed, { 'blocks[1].audience': 'theirs' }).document.blocks[1]).not.toHaveProperty('audience');
  });
});

// Translations that stay true: a translation last edited before its English changed is flagged
// (translation_outdated) until it is edited or marked still correct, and each translation is
// marked ready before a send stops warning (language_not_ready).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulletinDocument } from '../../src/bulletins/document.js';
import type { Finding } from '../../src/bulletins/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { databaseKinds } from '../helpers/databases.js';

/** The example's text block (the fourth), whose body the tests edit. */
const TEXT = 3;

type TextBlock = Extract<BulletinDocument['blocks'][number], { type: 'text' }>;

function withBody(doc: BulletinDocument, language: string, body: string, at = TEXT): BulletinDocument {
  const copy = structuredClone(doc);
  const block = copy.blocks[at] as TextBlock;
  block.body = { ...block.body, [language]: body };
  return copy;
}

describe.each(databaseKinds())('translations that stay true on %s', (kind) => {
  let app: TestApp;

  const create = async (doc = exampleBulletin()) => {
    const res = await app.request('POST', '/api/bulletins', { json: doc });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: number; document: BulletinDocument };
  };
  const save = async (id: number, doc: BulletinDocument) => {
    const res = await app.request('PUT', `/api/bulletins/${id}`, { json: doc });
    expect(res.status).toBe(200);
    return ((await res.json()) as { document: BulletinDocument }).document;
  };
  /** Dates the bulletin's newest version, so the finding's wording can be read exactly. */
  const dateNewest = async (id: number, at: string) => {
    const { db } = app.db.database;
    const newest = await db
      .selectFrom('bulletin_versions')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('bulletin_id', '=', id)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('bulletin_versions')
      .set({ created_at: at })
      .where('bulletin_id', '=', id)
      .where('version', '=', Number(newest.v))
      .execute();
  };
  const findings = async (id: number, code: Finding['code']) => {
    const res = await app.request('GET', `/api/bulletins/${id}/checks`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { findings: Finding[] }).findings.filter((f) => f.code === code);
  };
  const outdated = (id: number) => findings(id, 'translation_outdated');
  const stillCorrect = (id: number, json: unknown) =>
    app.request('POST', `/api/bulletins/${id}/translations/still-correct`, { json });

  beforeAll(async () => {
    app = await startTestApp(kind);
  });
  afterAll(() => app.close());

  it('names the block, field, language and date when the English changed after the Spanish', async () => {
    const { id, document } = await create();
    expect(await outdated(id)).toEqual([]);
    await save(id, withBody(document, 'en', 'We marched on the capitol. Here is what comes next.'));
    await dateNewest(id, '2026-12-03T15:00:00.000Z');
    expect(await outdated(id)).toEqual([
      {
        level: 'warning',
        code: 'translation_outdated',
        message: 'Block 4 body: Spanish was translated before the English changed on 3 Dec',
        language: 'es',
        block: TEXT,
        field: `blocks[${TEXT}].body`,
      },
    ]);
  });

  it('clears when the Spanish is edited, and comes back when the English changes again', async () => {
    const { id, document } = await create();
    const english = await save(id, withBody(document, 'en', 'A new English body.'));
    expect(await outdated(id)).toHaveLength(1);
    const spanish = await save(id, withBody(english, 'es', 'Un nuevo cuerpo en español.'));
    expect(await outdated(id)).toEqual([]);
    // A save that changes something else keeps the Spanish up to date.
    const retitled = await save(id, { ...spanish, title: 'Retitled' });
    expect(await outdated(id)).toEqual([]);
    await save(id, withBody(retitled, 'en', 'The English body, once more.'));
    expect((await outdated(id)).map((f) => f.field)).toEqual([`blocks[${TEXT}].body`]);
  });

  it('clears when marked still correct, for that English text only', async () => {
    const { id, document } = await create();
    const changed = await save(id, withBody(document, 'en', 'Nothing in the meaning changed.'));
    expect(await outdated(id)).toHaveLength(1);
    expect((await stillCorrect(id, { field: `blocks[${TEXT}].body`, language: 'es' })).status).toBe(204);
    expect(await outdated(id)).toEqual([]);
    // Another English text is another question.
    await save(id, withBody(changed, 'en', 'But now the meaning did change.'));
    expect(await outdated(id)).toHaveLength(1);
  });

  it('follows a block that moves, and keeps its still-correct mark', async () => {
    const { id, document } = await create();
    const changed = await save(id, withBody(document, 'en', 'The English moved on.'));
    const text = changed.blocks[TEXT]!;
    const moved = { ...changed, blocks: [text, ...changed.blocks.filter((_, i) => i !== TEXT)] };
    await save(id, moved);
    const [finding] = await outdated(id);
    expect(finding).toMatchObject({ block: 0, field: 'blocks[0].body' });
    expect(finding!.message).toMatch(/^Block 1 body: Spanish was translated before the English changed on /);

    expect((await stillCorrect(id, { field: 'blocks[0].body', language: 'es' })).status).toBe(204);
    // Back to its old place, and a new block inserted above it: still the same text, still correct.
    const divider = { type: 'divider' as const };
    await save(id, { ...changed, blocks: [divider, ...changed.blocks] });
    expect(await outdated(id)).toEqual([]);
  });

  it('flags the bulletin’s own texts too, and a new block’s texts are not outdated', async () => {
    const { id, document } = await create();
    const added = { type: 'text' as const, body: { en: 'Fresh', es: 'Nuevo' } };
    await save(id, { ...document, subject: { ...document.subject, en: 'A new subject' }, blocks: [added] });
    expect((await outdated(id)).map((f) => [f.field, f.message.split(':')[0]])).toEqual([['subject', 'Subject']]);
  });

  it('takes a Spanish text written while the English was empty as written on its own', async () => {
    const { id, document } = await create({ ...exampleBulletin(), subject: { en: '', es: 'Hola' } });
    const written = await save(id, { ...document, subject: { en: 'Hello', es: 'Hola' } });
    const edited = await save(id, { ...written, subject: { en: 'Hello again', es: 'Hola' } });
    expect(await outdated(id)).toEqual([]);
    // Once edited with an English beside it, the Spanish is read against that English.
    const spanish = await save(id, { ...edited, subject: { en: 'Hello again', es: 'Hola otra vez' } });
    await save(id, { ...spanish, subject: { en: 'Hello, once more', es: 'Hola otra vez' } });
    expect((await outdated(id)).map((f) => f.field)).toEqual(['subject']);
  });

  it('takes an English text changed and changed back for the one the Spanish was made against', async () => {
    const { id, document } = await create();
    const bolder = await save(id, withBody(document, 'en', 'A **bolder** English body.'));
    expect(await outdated(id)).toHaveLength(1);
    await save(id, { ...bolder, blocks: document.blocks });
    expect(await outdated(id)).toEqual([]);
  });

  it('refuses a still-correct mark for a text or language the bulletin lacks, naming the field', async () => {
    const { id } = await create();
    const issue = async (json: unknown) => {
      const res = await stillCorrect(id, json);
      expect(res.status).toBe(400);
      return ((await res.json()) as { error: { issues: { path: string }[] } }).error.issues.map((i) => i.path);
    };
    expect(await issue({ field: 'blocks[99].body', language: 'es' })).toEqual(['field']);
    expect(await issue({ field: 'subject', language: 'en' })).toEqual(['language']);
    expect(await issue({ field: 'subject', language: 'fr' })).toEqual(['language']);
    expect(await issue({ field: 'subject' })).toEqual(['language']);
    expect(await issue({ field: 'subject', language: 'es', note: 'x' })).toEqual(['note']);
  });

  it('warns about a language not marked ready, until it is', async () => {
    const { id } = await create();
    const ready = (method: string, language: string) =>
      app.request(method, `/api/bulletins/${id}/languages/${language}/ready`);
    expect(await (await app.request('GET', `/api/bulletins/${id}/translations`)).json()).toEqual({ ready: [] });
    expect(await findings(id, 'language_not_ready')).toEqual([
      {
        level: 'warning',
        code: 'language_not_ready',
        message: 'Spanish is not marked ready: nobody has said its translation is done',
        language: 'es',
      },
    ]);

    const marked = await ready('PUT', 'Spanish');
    expect(marked.status).toBe(200);
    expect(await marked.json()).toEqual({ ready: ['es'] });
    expect((await ready('PUT', 'es')).status).toBe(200);
    expect(await (await app.request('GET', `/api/bulletins/${id}/translations`)).json()).toEqual({ ready: ['es'] });
    expect(await findings(id, 'language_not_ready')).toEqual([]);

    // The fallback language is the reference, not a translation; a language the bulletin lacks has none.
    for (const language of ['en', 'fr']) {
      const refused = await ready('PUT', language);
      expect(refused.status).toBe(400);
      expect((await refused.json()).error.issues[0].path).toBe('language');
    }

    expect(await (await ready('DELETE', 'es')).json()).toEqual({ ready: [] });
    expect(await findings(id, 'language_not_ready')).toHaveLength(1);
    expect((await app.request('PUT', `/api/bulletins/999999/languages/es/ready`)).status).toBe(404);
  });
});

// The block library and templates over the API: saved by name with who saved them, changed,
// deleted; bad input refused with the field named and nothing stored; and a bulletin made from the
// library keeps its own copy when the library item changes later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../src/bulletins/document.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { databaseKinds } from '../helpers/databases.js';
import { signIn, type StaffSession } from '../helpers/sessions.js';
import { databaseSnapshot } from '../helpers/snapshot.js';

const PETITION: Block = {
  type: 'call_to_action',
  heading: { en: 'Sign the petition', es: 'Firma la petición' },
  body: { en: '62,500 have signed.', es: 'Ya firmaron 62.500.' },
  button: { href: 'https://example.org/petition', label: { en: 'Sign', es: 'Firma' } },
  goal: { target: 100_000, current: 62_500 },
};

interface Issue {
  path: string;
  message: string;
}

describe.each(databaseKinds())('the library API on %s', (kind) => {
  let app: TestApp;
  let ana: StaffSession;

  const json = async <T = any>(res: Response, status: number): Promise<T> => {
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(status);
    return body as T;
  };
  const issues = async (res: Response) => (await json<{ error: { issues: Issue[] } }>(res, 400)).error.issues;

  beforeAll(async () => {
    app = await startTestApp(kind);
    ana = await signIn(app, 'ana@example.org', 'editor');
  });
  afterAll(() => app.close());

  it('saves a block by name, with who saved it, and lists, renames, replaces and deletes it', async () => {
    const saved = await json(
      await app.request('POST', '/api/blocks', {
        token: null,
        headers: ana.headers(),
        json: { name: '  Petition 62,500 ', block: PETITION },
      }),
      201,
    );
    expect(saved).toMatchObject({ name: 'Petition 62,500', block: PETITION });
    expect(saved.createdBy).toEqual({ kind: 'staff', name: 'ana@example.org' });
    const byToken = await json(
      await app.request('POST', '/api/blocks', { json: { name: 'About us', block: { type: 'text', body: {} } } }),
      201,
    );
    expect(byToken.createdBy).toEqual({ kind: 'token', name: 'admin' });
    // Saved with its draft defaults filled in, as a bulletin's block would be.
    expect(byToken.block).toEqual({ type: 'text', body: {} });

    const list = await json(await app.request('GET', '/api/blocks'), 200);
    expect(list.data.map((b: { name: string }) => b.name)).toEqual(['About us', 'Petition 62,500']);
    expect(await json(await app.request('GET', `/api/blocks/${saved.id}`), 200)).toEqual(saved);

    const renamed = await json(
      await app.request('PATCH', `/api/blocks/${saved.id}`, { json: { name: 'Petition 70,000' } }),
      200,
    );
    expect(renamed).toMatchObject({ name: 'Petition 70,000', block: PETITION, createdBy: saved.createdBy });
    const divider = await json(
      await app.request('PATCH', `/api/blocks/${saved.id}`, { json: { block: { type: 'divider' } } }),
      200,
    );
    expect(divider).toMatchObject({ name: 'Petition 70,000', block: { type: 'divider' } });

    expect((await app.request('DELETE', `/api/blocks/${saved.id}`)).status).toBe(204);
    expect((await app.request('GET', `/api/blocks/${saved.id}`)).status).toBe(404);
    expect((await app.request('DELETE', `/api/blocks/${saved.id}`)).status).toBe(404);
    expect((await app.request('PATCH', `/api/blocks/${saved.id}`, { json: { name: 'x' } })).status).toBe(404);
  });

  it('saves a bulletin as a template, lists it in short, and renames and deletes it', async () => {
    const document = exampleBulletin();
    const saved = await json(
      await app.request('POST', '/api/templates', { json: { name: 'Weekly bulletin', document } }),
      201,
    );
    expect(saved).toMatchObject({ name: 'Weekly bulletin', document, createdBy: { kind: 'token', name: 'admin' } });
    const list = await json(await app.request('GET', '/api/templates'), 200);
    expect(list.data).toEqual([
      {
        id: saved.id,
        name: 'Weekly bulletin',
        title: document.title,
        languages: document.languages,
        blocks: document.blocks.length,
        createdBy: saved.createdBy,
        createdAt: saved.createdAt,
        updatedAt: saved.updatedAt,
      },
    ]);
    const renamed = await json(
      await app.request('PATCH', `/api/templates/${saved.id}`, { json: { name: 'Monthly bulletin' } }),
      200,
    );
    expect(renamed).toMatchObject({ name: 'Monthly bulletin', document });
    expect((await app.request('DELETE', `/api/templates/${saved.id}`)).status).toBe(204);
    expect((await app.request('GET', `/api/templates/${saved.id}`)).status).toBe(404);
  });

  it('refuses bad input naming the field, and a refused request changes nothing', async () => {
    const block = await json(
      await app.request('POST', '/api/blocks', { json: { name: 'Kept', block: PETITION } }),
      201,
    );
    const template = await json(
      await app.request('POST', '/api/templates', { json: { name: 'Kept', document: exampleBulletin() } }),
      201,
    );
    const before = await databaseSnapshot(app.db);

    const post = (path: string, body: unknown) => app.request('POST', path, { json: body });
    const patch = (path: string, body: unknown) => app.request('PATCH', path, { json: body });
    expect(await issues(await post('/api/blocks', { name: ' ', block: PETITION }))).toEqual([
      { path: 'name', message: 'must not be empty' },
    ]);
    expect(await issues(await post('/api/blocks', { name: 'x'.repeat(201), block: PETITION }))).toEqual([
      { path: 'name', message: 'must be at most 200 characters' },
    ]);
    expect(await issues(await post('/api/blocks', { name: 'Bad', block: { type: 'poem' } }))).toEqual([
      { path: 'block.type', message: expect.stringContaining('must be a block of type announcement') },
    ]);
    expect(
      await issues(
        await post('/api/blocks', {
          name: 'Bad',
          block: { ...PETITION, button: { href: 'javascript:alert(1)', label: {} } },
        }),
      ),
    ).toEqual([{ path: 'block.button.href', message: 'must be an https URL' }]);
    expect(await issues(await post('/api/blocks', { name: 'Bad', block: PETITION, note: 'x' }))).toEqual([
      { path: 'note', message: 'is not a known field' },
    ]);
    expect(await issues(await patch(`/api/blocks/${block.id}`, {}))).toEqual([
      { path: 'body', message: 'must change name or block' },
    ]);
    expect(await issues(await patch(`/api/blocks/${block.id}`, { block: { type: 'text', body: 'x' } }))).toEqual([
      { path: 'block.body', message: expect.any(String) },
    ]);
    expect(
      await issues(await post('/api/templates', { name: 'Bad', document: { ...exampleBulletin(), languages: [] } })),
    ).toEqual([{ path: 'document.languages', message: 'must name at least one language' }]);
    expect(await issues(await post('/api/templates', { name: 'Bad' }))).toEqual([
      { path: 'document', message: expect.any(String) },
    ]);
    expect(await issues(await patch(`/api/templates/${template.id}`, { name: '' }))).toEqual([
      { path: 'name', message: 'must not be empty' },
    ]);
    expect((await app.request('GET', '/api/blocks/0')).status).toBe(400);

    expect(await databaseSnapshot(app.db)).toEqual(before);
  });

  it('gives a bulletin its own copy: a library item changed or deleted later leaves it be', async () => {
    const saved = await json(
      await app.request('POST', '/api/blocks', { json: { name: 'Petition', block: PETITION } }),
      201,
    );
    const weekly = await json(
      await app.request('POST', '/api/templates', { json: { name: 'Weekly', document: exampleBulletin() } }),
      201,
    );
    // What the composer does: inserts the block into a bulletin, and starts a bulletin from the template.
    const started = await json(await app.request('POST', '/api/bulletins', { json: weekly.document }), 201);
    const document = { ...started.document, blocks: [...started.document.blocks, saved.block] };
    const bulletin = await json(await app.request('PUT', `/api/bulletins/${started.id}`, { json: document }), 200);

    await json(
      await app.request('PATCH', `/api/blocks/${saved.id}`, {
        json: { block: { ...PETITION, goal: { target: 100_000, current: 70_000 } } },
      }),
      200,
    );
    await json(
      await app.request('PATCH', `/api/templates/${weekly.id}`, {
        json: { document: { ...weekly.document, blocks: [] } },
      }),
      200,
    );
    expect((await app.request('DELETE', `/api/blocks/${saved.id}`)).status).toBe(204);
    expect((await app.request('DELETE', `/api/templates/${weekly.id}`)).status).toBe(204);

    const after = await json(await app.request('GET', `/api/bulletins/${bulletin.id}`), 200);
    expect(after.document).toEqual(document);
    expect(after.document.blocks.at(-1)).toEqual(PETITION);
  });

  it('describes the library routes in the OpenAPI document, a block in the document schema’s own terms', async () => {
    const doc = await json(await app.request('GET', '/api/openapi.json', { token: null }), 200);
    const methods = (path: string) => Object.keys(doc.paths[path] ?? {}).sort();
    expect(methods('/api/blocks')).toEqual(['get', 'post']);
    expect(methods('/api/blocks/{id}')).toEqual(['delete', 'get', 'patch']);
    expect(methods('/api/templates')).toEqual(['get', 'post']);
    expect(methods('/api/templates/{id}')).toEqual(['delete', 'get', 'patch']);
    const body = doc.paths['/api/blocks'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['name', 'block']);
    const types = body.properties.block.oneOf.map((variant: any) => variant.properties.type.const);
    expect(types).toEqual(['announcement', 'statement', 'call_to_action', 'survey', 'text', 'image', 'divider']);
    const template = doc.paths['/api/templates'].post.requestBody.content['application/json'].schema;
    expect(template.properties.document.properties.version).toEqual(expect.objectContaining({ const: 1 }));
  });
});

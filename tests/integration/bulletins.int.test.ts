import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { startTestApp, TEST_PUBLIC_URL, type TestApp } from '../helpers/app.js';

interface Link {
  href: string | Record<string, string>;
  label: Record<string, string>;
}
interface ExampleBlock {
  type: string;
  heading?: Record<string, string>;
  link?: Link;
  button?: Link;
  [field: string]: unknown;
}
interface ExampleDocument {
  title: string;
  languages: string[];
  topic?: string;
  blocks: ExampleBlock[];
  [field: string]: unknown;
}
interface Issue {
  path: string;
  message: string;
}
interface Finding {
  level: 'error' | 'warning';
  code: string;
  field?: string;
}

const EXAMPLE: ExampleDocument = JSON.parse(
  readFileSync(new URL('../../examples/launch-petition-100-days.json', import.meta.url), 'utf8'),
);
const example = (): ExampleDocument => structuredClone(EXAMPLE);
const CTA_INDEX = EXAMPLE.blocks.findIndex((block) => block.type === 'call_to_action');
/** The first block's heading, in each language, to tell one language's rendering from another's. */
const HEADING = EXAMPLE.blocks.find((block) => block.heading)!.heading!;
const WEEKLY_TOPIC = { key: 'weekly-bulletin', name: { en: 'Weekly bulletin', es: 'Boletín semanal' } };

describe.each(databaseKinds())('bulletins API on %s', (kind) => {
  let app: TestApp;

  const create = async (document: unknown = example()) => {
    const res = await app.request('POST', '/api/bulletins', { json: document });
    expect(res.status, await res.clone().text()).toBe(201);
    return res.json() as Promise<{
      id: number;
      title: string;
      version: number;
      versionId: number;
      document: ExampleDocument;
    }>;
  };
  const count = async () => (await (await app.request('GET', '/api/bulletins')).json()).data.length as number;
  const issues = async (res: Response) => (await res.json()).error.issues as Issue[];
  const preview = (id: number, query: string) => app.request('GET', `/api/bulletins/${id}/preview?${query}`);
  const checks = async (id: number) => {
    const res = await app.request('GET', `/api/bulletins/${id}/checks`);
    expect(res.status).toBe(200);
    return res.json() as Promise<{ ok: boolean; findings: Finding[] }>;
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
  });
  afterAll(() => app.close());

  it('gives the default settings until they are changed', async () => {
    const res = await app.request('GET', '/api/settings');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      organisationName: 'Pregón',
      postalAddress: '',
      logoUrl: '',
      senderName: '',
      senderEmail: '',
      replyTo: '',
      defaultLanguage: 'en',
      brandColor: '#b3261e',
      languages: ['en', 'es'],
      locales: { en: 'en-US', es: 'es-US' },
      wording: {},
      approvalThreshold: null,
    });
  });

  it('merges only the settings given, keeping those changed before', async () => {
    const first = await app.request('PUT', '/api/settings', { json: { organisationName: 'NNIRR' } });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ organisationName: 'NNIRR', brandColor: '#b3261e' });

    const second = await app.request('PUT', '/api/settings', { json: { senderEmail: 'news@nnirr.org' } });
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({
      organisationName: 'NNIRR',
      senderEmail: 'news@nnirr.org',
      brandColor: '#b3261e',
    });
    expect(await (await app.request('GET', '/api/settings')).json()).toMatchObject({
      organisationName: 'NNIRR',
      senderEmail: 'news@nnirr.org',
    });
  });

  it('refuses bad settings with 400 naming each field, and changes nothing', async () => {
    const before = await (await app.request('GET', '/api/settings')).json();
    const res = await app.request('PUT', '/api/settings', {
      json: { brandColor: 'red', senderEmail: 'x', logoUrl: 'http://nnirr.org/logo.png', organisationName: 'Changed' },
    });
    expect(res.status).toBe(400);
    expect((await issues(res)).map((i) => i.path).sort()).toEqual(['brandColor', 'logoUrl', 'senderEmail']);
    expect(await (await app.request('GET', '/api/settings')).json()).toEqual(before);
  });

  it('lets an editor read the settings but not change them', async () => {
    expect((await app.request('GET', '/api/settings', { token: app.editorToken })).status).toBe(200);
    const res = await app.request('PUT', '/api/settings', {
      token: app.editorToken,
      json: { organisationName: 'Editor' },
    });
    expect(res.status).toBe(403);
    expect((await app.request('GET', '/api/settings').then((r) => r.json())).organisationName).toBe('NNIRR');
  });

  it('creates a bulletin as version 1, saves versions, lists them newest first, duplicates and deletes', async () => {
    const created = await create();
    expect(created).toMatchObject({
      title: EXAMPLE.title,
      version: 1,
      versionId: expect.any(Number),
      document: EXAMPLE,
    });

    const got = await app.request('GET', `/api/bulletins/${created.id}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({
      id: created.id,
      version: 1,
      versionId: created.versionId,
      document: EXAMPLE,
    });

    const changed = { ...example(), title: 'Launch, petition and 100 days (final)' };
    const saved = await app.request('PUT', `/api/bulletins/${created.id}`, { json: changed });
    expect(saved.status).toBe(200);
    const v2 = await saved.json();
    expect(v2).toMatchObject({ id: created.id, title: changed.title, version: 2, document: changed });
    expect(v2.versionId).not.toBe(created.versionId);

    const versions = await (await app.request('GET', `/api/bulletins/${created.id}/versions`)).json();
    expect(versions.data).toEqual([
      {
        version: 2,
        versionId: v2.versionId,
        title: changed.title,
        createdAt: expect.any(String),
        savedBy: 'token: admin',
        sent: false,
        sends: [],
        changes: [{ kind: 'setting', text: 'Edited title', field: 'title' }],
      },
      {
        version: 1,
        versionId: created.versionId,
        title: EXAMPLE.title,
        createdAt: expect.any(String),
        savedBy: 'token: admin',
        sent: false,
        sends: [],
        changes: [],
      },
    ]);

    const list = await (await app.request('GET', '/api/bulletins')).json();
    expect(list.data.find((b: { id: number }) => b.id === created.id)).toMatchObject({
      title: changed.title,
      version: 2,
    });

    const dup = await app.request('POST', `/api/bulletins/${created.id}/duplicate`);
    expect(dup.status).toBe(201);
    const copy = await dup.json();
    expect(copy.id).not.toBe(created.id);
    expect(copy).toMatchObject({
      title: `${changed.title} (copy)`,
      version: 1,
      document: { ...changed, title: `${changed.title} (copy)` },
    });

    expect((await app.request('DELETE', `/api/bulletins/${created.id}`)).status).toBe(204);
    expect((await app.request('GET', `/api/bulletins/${created.id}`)).status).toBe(404);
    expect((await app.request('GET', `/api/bulletins/${created.id}/versions`)).status).toBe(404);
    expect((await app.request('DELETE', `/api/bulletins/${created.id}`)).status).toBe(404);
    const versionRows = await app.db.database.db
      .selectFrom('bulletin_versions')
      .select('id')
      .where('bulletin_id', '=', created.id)
      .execute();
    expect(versionRows).toEqual([]);
    expect((await app.request('GET', `/api/bulletins/${copy.id}`)).status).toBe(200);
  });

  it("refuses an invalid document with 400, naming each issue's block index and field; creates nothing", async () => {
    expect(CTA_INDEX).toBeGreaterThanOrEqual(0);
    const bad = example();
    bad.version = 2;
    bad.blocks[CTA_INDEX]!.button!.href = 'javascript:alert(1)';
    bad.blocks.push({ type: 'nope' });
    const before = await count();

    const res = await app.request('POST', '/api/bulletins', { json: bad });
    expect(res.status).toBe(400);
    const found = await issues(res);
    expect(found).toContainEqual({ path: `blocks[${CTA_INDEX}].button.href`, message: 'must be an https URL' });
    expect(found).toContainEqual({ path: 'version', message: 'must be 1' });
    expect(found.map((i) => i.path)).toContain(`blocks[${bad.blocks.length - 1}].type`);
    expect(found).toHaveLength(3);
    expect(await count()).toBe(before);
  });

  it('lists each bulletin with the languages and number of blocks of its current version', async () => {
    const { id } = await create();
    const shorter = { ...example(), languages: ['es'], blocks: EXAMPLE.blocks.slice(0, 2) };
    expect((await app.request('PUT', `/api/bulletins/${id}`, { json: shorter })).status).toBe(200);
    const list = await (await app.request('GET', '/api/bulletins')).json();
    expect(list.data.find((b: { id: number }) => b.id === id)).toMatchObject({
      version: 2,
      languages: ['es'],
      blocks: 2,
    });
  });

  it('gives an earlier version’s document, only under its own bulletin', async () => {
    const first = await create();
    const second = await create();
    const changed = { ...example(), title: 'Second draft' };
    expect((await app.request('PUT', `/api/bulletins/${first.id}`, { json: changed })).status).toBe(200);

    const res = await app.request('GET', `/api/bulletins/${first.id}/versions/${first.versionId}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      version: 1,
      versionId: first.versionId,
      title: EXAMPLE.title,
      createdAt: expect.any(String),
      savedBy: 'token: admin',
      document: EXAMPLE,
    });

    expect((await app.request('GET', `/api/bulletins/${second.id}/versions/${first.versionId}`)).status).toBe(404);
    expect((await app.request('GET', `/api/bulletins/${first.id}/versions/999999`)).status).toBe(404);
    const bad = await app.request('GET', `/api/bulletins/${first.id}/versions/latest`);
    expect(bad.status).toBe(400);
    expect((await issues(bad))[0]!.path).toBe('versionId');
  });

  it('keeps the current version when a save is invalid', async () => {
    const { id } = await create();
    const bad = example();
    bad.blocks[CTA_INDEX]!.button!.href = ' Java\tScript:alert(1)';
    const res = await app.request('PUT', `/api/bulletins/${id}`, { json: bad });
    expect(res.status).toBe(400);
    expect(await issues(res)).toEqual([{ path: `blocks[${CTA_INDEX}].button.href`, message: 'must be an https URL' }]);
    expect((await (await app.request('GET', `/api/bulletins/${id}`)).json()).version).toBe(1);
    expect((await (await app.request('GET', `/api/bulletins/${id}/versions`)).json()).data).toHaveLength(1);
  });

  it('saves an unfinished draft, and its checks name each field to fill in before it can be sent', async () => {
    const { id } = await create();
    const draft = example();
    // As the composer saves a block just added: a statement without a speaker, a button without an address.
    draft.blocks.push({ type: 'statement', quote: { en: 'We will not be silent.', es: '' }, speaker: '' });
    draft.blocks.push({
      type: 'call_to_action',
      heading: { en: 'Sign' },
      body: { en: 'Now' },
      button: { href: 'https://', label: { en: 'Sign' } },
    });
    draft.blocks.push({ type: 'image', alt: { en: 'A march' } });
    const saved = await app.request('PUT', `/api/bulletins/${id}`, { json: draft });
    expect(saved.status, await saved.clone().text()).toBe(200);
    const stored = (await saved.json()).document as ExampleDocument;
    expect(stored.blocks.at(-1)).toEqual({ type: 'image', src: '', alt: { en: 'A march' } });

    const n = EXAMPLE.blocks.length;
    const errors = (await checks(id)).findings.filter((f) => f.level === 'error' && f.field?.startsWith('blocks['));
    expect(errors.map((f) => [f.code, f.field])).toEqual(
      expect.arrayContaining([
        ['missing_field', `blocks[${n}].speaker`],
        ['incomplete_link', `blocks[${n + 1}].button.href`],
        ['empty_link', `blocks[${n + 2}].src`],
      ]),
    );

    const send = await app.request('POST', `/api/bulletins/${id}/send`, { json: { rule: { all: [] } } });
    expect(send.status).toBe(422);
    const refused = (await send.json()).error.findings as Finding[];
    expect(refused.map((f) => f.field)).toEqual(
      expect.arrayContaining([`blocks[${n}].speaker`, `blocks[${n + 1}].button.href`, `blocks[${n + 2}].src`]),
    );
    expect((await (await app.request('GET', '/api/campaigns')).json()).data).toEqual([]);
  });

  it('previews one language as HTML, plain text with "label: url" lines, or MJML', async () => {
    const { id } = await create();

    const html = await preview(id, 'lang=es&format=html');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await html.text();
    expect(page).toContain('lang="es"');
    expect(page).toContain(HEADING.es);
    expect(page).not.toContain(HEADING.en);

    const text = await preview(id, 'lang=es&format=text');
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    const plain = await text.text();
    expect(plain).toContain(HEADING.es);
    expect(plain).not.toContain(HEADING.en);
    const links = EXAMPLE.blocks.flatMap((block) =>
      [block.link, block.button].filter((l): l is Link => l !== undefined),
    );
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(plain.split('\n')).toContain(`${link.label.es}: ${link.href}`);

    const mjml = await preview(id, 'lang=es&format=mjml');
    expect(mjml.status).toBe(200);
    expect(await mjml.text()).toMatch(/^<mjml/);

    const fallback = await (await preview(id, '')).text();
    expect(fallback).toContain(`lang="${EXAMPLE.languages[0]}"`);
    expect(fallback).toContain(HEADING.en);

    for (const written of ['ES', 'Spanish'])
      expect(await (await preview(id, `lang=${written}&format=html`)).text(), written).toContain('lang="es"');

    const other = await preview(id, 'lang=fr');
    expect(other.status).toBe(400);
    expect((await other.json()).error.issues).toEqual([
      { path: 'lang', message: "must be en (English) or es (Spanish), the bulletin's languages" },
    ]);
  });

  it('previews with its own CSP: any https image, inline styles, no scripts, framed only by the app', async () => {
    const { id } = await create();
    const res = await preview(id, 'lang=en');
    expect(res.status).toBe(200);
    const policy = Object.fromEntries(
      res.headers
        .get('content-security-policy')!
        .split(';')
        .map((directive) => directive.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(policy['img-src']).toEqual(["'self'", 'https:', 'data:']);
    expect(policy['style-src']).toEqual(["'unsafe-inline'"]);
    expect(policy['default-src']).toEqual(["'none'"]);
    expect(policy['script-src']).toBeUndefined();
    expect(policy['frame-ancestors']).toEqual(["'self'"]);
  });

  it('previews a saved version when asked, the current one otherwise', async () => {
    const first = await create();
    const renamed = example();
    renamed.blocks[0]!.heading = { en: 'A heading written later', es: 'Un título escrito después' };
    expect((await app.request('PUT', `/api/bulletins/${first.id}`, { json: renamed })).status).toBe(200);

    expect(await (await preview(first.id, 'lang=en')).text()).toContain('A heading written later');
    const old = await (await preview(first.id, `lang=en&versionId=${first.versionId}`)).text();
    expect(old).toContain(HEADING.en);
    expect(old).not.toContain('A heading written later');
    const other = await create();
    expect((await preview(other.id, `versionId=${first.versionId}`)).status).toBe(404);
  });

  it('puts the sample reader’s unsubscribe link under the public URL in the preview', async () => {
    const { id } = await create();
    const page = await (await preview(id, 'lang=es&format=html')).text();
    expect(page).toContain(`href="${TEST_PUBLIC_URL}/unsubscribe/`);
    const plain = await (await preview(id, 'lang=es&format=text')).text();
    expect(plain).toMatch(
      new RegExp(`^Cancelar la suscripción: ${TEST_PUBLIC_URL.replaceAll('.', '\\.')}/unsubscribe/\\S+$`, 'm'),
    );
  });

  it('refuses a preview in a language the bulletin lacks, an unknown format, or of an unknown bulletin', async () => {
    const { id } = await create();
    const fr = await preview(id, 'lang=fr');
    expect(fr.status).toBe(400);
    expect((await issues(fr))[0]!.path).toBe('lang');

    const pdf = await preview(id, 'format=pdf');
    expect(pdf.status).toBe(400);
    expect((await issues(pdf))[0]!.path).toBe('format');

    expect((await preview(999_999, 'lang=es')).status).toBe(404);
  });

  it('blocks sending without a postal address or the bulletin’s topic, and passes once both exist', async () => {
    const { id } = await create();
    const before = await checks(id);
    expect(before.ok).toBe(false);
    expect(before.findings).toContainEqual(expect.objectContaining({ level: 'error', code: 'no_postal_address' }));
    expect(before.findings).toContainEqual(
      expect.objectContaining({ level: 'error', code: 'unknown_topic', field: 'topic' }),
    );

    expect(
      (await app.request('PUT', '/api/settings', { json: { postalAddress: '1 Main St, Oakland, CA 94607' } })).status,
    ).toBe(200);
    expect(EXAMPLE.topic).toBe(WEEKLY_TOPIC.key);
    expect((await app.request('POST', '/api/topics', { json: WEEKLY_TOPIC })).status).toBe(201);

    const after = await checks(id);
    const errors = after.findings.filter((f) => f.level === 'error');
    expect(errors, JSON.stringify(after.findings, null, 2)).toEqual([]);
    expect(after.ok, JSON.stringify(after.findings, null, 2)).toBe(true);
  });

  it('reports an unknown topic key as an error', async () => {
    const { id } = await create({ ...example(), topic: 'no-such-topic' });
    const result = await checks(id);
    expect(result.ok).toBe(false);
    expect(result.findings).toContainEqual(
      expect.objectContaining({ level: 'error', code: 'unknown_topic', field: 'topic' }),
    );
  });

  it('says in the footer why the reader gets the mail: the topic’s name in the reader’s language', async () => {
    // The checks test above created the example's topic.
    expect((await app.request('GET', `/api/topics/${WEEKLY_TOPIC.key}`)).status).toBe(200);
    const { id } = await create();
    const es = await (await preview(id, 'lang=es&format=html')).text();
    expect(es).toContain(WEEKLY_TOPIC.name.es);
    expect(await (await preview(id, 'lang=es&format=text')).text()).toContain(WEEKLY_TOPIC.name.es);
    expect(await (await preview(id, 'lang=en&format=html')).text()).toContain(WEEKLY_TOPIC.name.en);

    const { topic: _, ...withoutTopic } = example();
    const general = await create(withoutTopic);
    const text = await (await preview(general.id, 'lang=es&format=text')).text();
    expect(text).toContain('Usted recibe este correo porque se suscribió a las noticias de NNIRR.');
    expect(text).not.toContain(WEEKLY_TOPIC.name.es);
  });

  it('publishes the bulletin JSON Schema without a token', async () => {
    const res = await app.request('GET', '/api/schemas/bulletin.json', { token: null });
    expect(res.status).toBe(200);
    const schema = await res.json();
    expect(schema.title).toEqual(expect.any(String));
    expect(schema.properties.blocks).toBeDefined();
    expect(schema.properties.blocks.type).toBe('array');
    expect(schema.properties.issueLine).toMatchObject({
      type: 'object',
      additionalProperties: { type: 'string' },
      description: expect.stringContaining('issue number'),
    });
    expect(schema.required).not.toContain('issueLine');
  });

  it('keeps the issue line through saves, shows it in each language, and leaves it out once removed', async () => {
    const issueLine = EXAMPLE.issueLine as Record<string, string>;
    const { id, document } = await create();
    expect(document.issueLine).toEqual(issueLine);
    for (const language of ['en', 'es']) {
      expect(await (await preview(id, `lang=${language}&format=html`)).text()).toContain(issueLine[language]);
      expect(await (await preview(id, `lang=${language}&format=text`)).text()).toContain(issueLine[language]);
    }

    const { issueLine: _, ...without } = example();
    const saved = await app.request('PUT', `/api/bulletins/${id}`, { json: without });
    expect(saved.status).toBe(200);
    expect((await saved.json()).document).not.toHaveProperty('issueLine');
    expect(await (await preview(id, 'lang=es&format=html')).text()).not.toContain(issueLine.es);
  });

  it('saves per-language links and hashtags, gives them back as written, renders each language its own', async () => {
    const petition = { en: 'https://nnirr.org/petition', es: 'https://nnirr.org/es/peticion' };
    const document = example();
    document.blocks[CTA_INDEX]!.button!.href = petition;
    const survey = document.blocks.findIndex((block) => block.type === 'survey');
    document.blocks[survey]!.hashtags = { en: ['#OurBorder'], es: ['#NuestraFrontera'] };
    const { id, document: saved } = await create(document);
    expect(saved.blocks[CTA_INDEX]!.button!.href).toEqual(petition);
    const stored = await (await app.request('GET', `/api/bulletins/${id}`)).json();
    expect(stored.document).toEqual(saved);
    expect(stored.document.blocks[survey].hashtags).toEqual({ en: ['#OurBorder'], es: ['#NuestraFrontera'] });

    const spanish = await (await preview(id, 'lang=es&format=html')).text();
    const english = await (await preview(id, 'lang=en&format=html')).text();
    expect(spanish).toContain(`href="${petition.es}"`);
    expect(spanish).toContain('#NuestraFrontera');
    expect(english).toContain(`href="${petition.en}"`);
    expect(english).not.toContain(petition.es);
    expect(await (await preview(id, 'lang=es&format=text')).text()).toContain(petition.es);

    // The other links of the translated example still lead Spanish readers to the English pages.
    const unlocalised = (await checks(id)).findings.filter((f) => f.code === 'url_not_localised');
    expect(unlocalised.length).toBeGreaterThan(0);
    expect(unlocalised.map((f) => f.field)).not.toContain(`blocks[${CTA_INDEX}].button.href`);

    const bad = structuredClone(document);
    bad.blocks[CTA_INDEX]!.button!.href = { ...petition, es: 'javascript:alert(1)' };
    const refused = await app.request('PUT', `/api/bulletins/${id}`, { json: bad });
    expect(refused.status).toBe(400);
    expect(await issues(refused)).toEqual([
      { path: `blocks[${CTA_INDEX}].button.href.es`, message: 'must be an https URL' },
    ]);
  });

  it('publishes both shapes of an address in the JSON Schema and the OpenAPI document', async () => {
    const both = '"href":{"default":"","anyOf":[{"type":"string","maxLength":2000},{"type":"object"';
    for (const path of ['/api/schemas/bulletin.json', '/api/openapi.json']) {
      const text = await (await app.request('GET', path, { token: null })).text();
      expect(text, path).toContain(both);
    }
  });

  it('lists the preview and settings routes in the OpenAPI document', async () => {
    const res = await app.request('GET', '/api/openapi.json', { token: null });
    expect(res.status).toBe(200);
    const paths = Object.keys((await res.json()).paths);
    expect(paths).toContain('/api/bulletins/{id}/preview');
    expect(paths).toContain('/api/settings');
  });
});

// A language may be written "ES", "pt-br", "Spanish" or "Español" wherever one is taken (the
// subscriber API and CSV import have their own tests): bulletin documents, their texts' keys and
// topic names store the code; two keys for one language are refused; the published schemas still build.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';

const EXAMPLE = JSON.parse(
  readFileSync(new URL('../../examples/launch-petition-100-days.json', import.meta.url), 'utf8'),
);

describe.each(databaseKinds())('languages as people write them on %s', (kind) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(kind);
  });
  afterAll(() => app?.close());

  it('stores a bulletin written with "EN", "Español" and "ES" under en and es', async () => {
    const { en, es } = EXAMPLE.subject;
    const document = {
      ...structuredClone(EXAMPLE),
      languages: ['EN', 'Español'],
      subject: { EN: en, ES: es },
      preheader: { english: EXAMPLE.preheader.en, Spanish: EXAMPLE.preheader.es },
    };
    const res = await app.request('POST', '/api/bulletins', { json: document });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = await res.json();
    const saved = (await (await app.request('GET', `/api/bulletins/${id}`)).json()).document;
    expect(saved).toMatchObject({ languages: ['en', 'es'], subject: { en, es }, preheader: EXAMPLE.preheader });
    expect(Object.keys(saved.subject)).toEqual(['en', 'es']);
  });

  it('refuses a text with two keys for one language, and a language named twice, naming the field', async () => {
    const twoKeys = await app.request('POST', '/api/bulletins', {
      json: { ...structuredClone(EXAMPLE), subject: { en: 'Hello', es: 'Hola', ES: 'Buenas' } },
    });
    expect(twoKeys.status).toBe(400);
    expect((await twoKeys.json()).error.issues).toEqual([
      { path: 'subject.ES', message: 'is the same language as "es"' },
    ]);

    const twice = await app.request('POST', '/api/bulletins', {
      json: { ...structuredClone(EXAMPLE), languages: ['es', 'Spanish'] },
    });
    expect(twice.status).toBe(400);
    expect((await twice.json()).error.issues).toEqual([{ path: 'languages', message: 'must not repeat a language' }]);

    const unknown = await app.request('POST', '/api/bulletins', {
      json: { ...structuredClone(EXAMPLE), subject: { en: 'Hello', Klingon: 'nuqneH' } },
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.issues).toEqual([
      { path: 'subject.Klingon', message: expect.stringMatching(/^must be a language code such as en, es or pt-BR/) },
    ]);
  });

  it('names a topic under the codes of the languages it was given in', async () => {
    const res = await app.request('POST', '/api/topics', {
      json: { key: 'news', name: { English: 'News', ES: 'Noticias' } },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await res.json()).name).toEqual({ en: 'News', es: 'Noticias' });
  });

  it('still publishes the OpenAPI document and the bulletin JSON Schema, saying names are taken', async () => {
    const openapi = await app.request('GET', '/api/openapi.json', { token: null });
    expect(openapi.status).toBe(200);
    const language = (await openapi.json()).paths['/api/subscribers'].post.requestBody.content['application/json']
      .schema.properties.language;
    expect(language).toMatchObject({
      type: 'string',
      default: 'en',
      description: expect.stringContaining('Spanish or Español'),
    });

    const schema = await app.request('GET', '/api/schemas/bulletin.json', { token: null });
    expect(schema.status).toBe(200);
    expect((await schema.json()).properties.languages.items).toMatchObject({
      type: 'string',
      description: expect.stringContaining('in any case'),
    });
  });
});

// The subscribe form for the organisation's website (GET /api/settings/subscribe-form): posted
// from another site as a browser would post it, it reaches the confirmation queue like the form
// at GET /subscribe, in the language chosen, with the topics offered; the honeypot still works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullConnection } from '../../src/redis.js';
import { ConfirmationQueue } from '../../src/supporters/confirmation-queue.js';
import { REDIS_URL, startTestApp, TEST_PUBLIC_URL, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';
import { startTags } from '../helpers/html.js';

const WEBSITE = 'https://www.nnirr.example';

describe.each(databaseKinds())("the subscribe form for the organisation's website on %s", (kind) => {
  let app: TestApp;
  let queue: ConfirmationQueue;
  const snippet = async (query: string, token?: string) => {
    const res = await app.request('GET', `/api/settings/subscribe-form?${query}`, token ? { token } : {});
    return { status: res.status, body: await res.json() };
  };

  /**
   * What a browser posts from the form: each field with its value as the form has it (a ticked box
   * only), the blanks filled from `typed`, to the form's action on this test's server.
   */
  const submit = (html: string, typed: Record<string, string>) => {
    const body = new URLSearchParams();
    for (const input of startTags(html, 'input')) {
      if (input.type === 'checkbox' && !('checked' in input)) continue;
      body.append(input.name!, typed[input.name!] ?? input.value ?? '');
    }
    const action = startTags(html, 'form')[0]!.action!;
    expect(action.startsWith(`${TEST_PUBLIC_URL}/subscribe?`)).toBe(true);
    return fetch(action.replace(TEST_PUBLIC_URL, app.baseUrl), {
      method: 'POST',
      // From the organisation's website: another origin, as a browser says it is.
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: WEBSITE,
        referer: `${WEBSITE}/join`,
        'sec-fetch-site': 'cross-site',
      },
      body,
    });
  };
  /** The subscribe requests waiting for the worker, oldest first. */
  const requests = async () => {
    const jobs = await queue.queue.getJobs(['waiting'], 0, -1, true);
    return jobs.flatMap((job) => (job.data.kind === 'request' ? [job.data.request] : []));
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    queue = new ConfirmationQueue(bullConnection(REDIS_URL), app.config.queuePrefix);
    await app.request('PUT', '/api/settings', { json: { organisationName: 'NNIRR', languages: ['en', 'es'] } });
    for (const [key, en, es] of [
      ['weekly-bulletin', 'Weekly bulletin', 'Boletín semanal'],
      ['actions', 'Calls to action', 'Llamados a la acción'],
      ['border', 'Border news', 'Noticias de la frontera'],
    ])
      await app.request('POST', '/api/topics', { json: { key, name: { en, es }, public: true } });
    await app.request('POST', '/api/topics', { json: { key: 'members', name: { en: 'Members' } } });
  });
  afterAll(async () => {
    await queue?.queue.obliterate({ force: true });
    await queue?.close();
    await app?.close();
  });

  it('is a plain form in Spanish offering the topics chosen, every one ticked, with the honeypot', async () => {
    const { status, body } = await snippet('language=es&topics=actions,weekly-bulletin');
    expect(status).toBe(200);
    const html: string = body.html;
    expect(startTags(html, 'form')).toEqual([
      { method: 'post', action: `${TEST_PUBLIC_URL}/subscribe?lang=es`, 'accept-charset': 'utf-8', lang: 'es' },
    ]);
    expect(html).toContain('Correo electrónico');
    expect(html).toContain('Suscribirme');
    // In the order topics are listed everywhere (by key); a topic not chosen is not offered.
    expect(startTags(html, 'input').map(({ name, type, value }) => [name, type, value])).toEqual([
      ['email', 'email', undefined],
      ['name', 'text', undefined],
      ['language', 'hidden', 'es'],
      ['topics', 'checkbox', 'actions'],
      ['topics', 'checkbox', 'weekly-bulletin'],
      ['website', 'text', undefined],
    ]);
    expect(html).toContain('Boletín semanal');
    expect(html).not.toContain('Noticias de la frontera');
    expect(html).not.toMatch(/<script|<link|<style/);
  });

  it('posted from another site, lands on the confirmation queue and answers "check your email"', async () => {
    const { body } = await snippet('language=es&topics=actions,weekly-bulletin');
    const res = await submit(body.html, { email: 'Lucia@Example.net', name: 'Lucía' });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<html lang="es">');
    expect(page).toContain('Revise su correo');
    expect(await requests()).toEqual([
      {
        email: 'lucia@example.net',
        name: 'Lucía',
        language: 'es',
        topics: ['actions', 'weekly-bulletin'],
        pageLanguage: 'es',
      },
    ]);
  });

  it('offers one topic as a hidden field, and none as every public topic', async () => {
    await queue.queue.drain();
    const one = (await snippet('language=en&topics=border')).body.html;
    expect(startTags(one, 'input').filter((input) => input.name === 'topics')).toEqual([
      { type: 'hidden', name: 'topics', value: 'border' },
    ]);
    expect((await submit(one, { email: 'one@example.net' })).status).toBe(200);
    const none = (await snippet('language=en')).body.html;
    expect(none).not.toContain('name="topics"');
    expect((await submit(none, { email: 'none@example.net' })).status).toBe(200);
    const [first, second] = await requests();
    expect(first).toMatchObject({ email: 'one@example.net', language: 'en', topics: ['border'] });
    expect(second).toMatchObject({ email: 'none@example.net', topics: ['actions', 'border', 'weekly-bulletin'] });
  });

  it('sends nothing when a bot fills in the honeypot', async () => {
    await queue.queue.drain();
    const { body } = await snippet('language=en&topics=border');
    const res = await submit(body.html, { email: 'bot@example.net', website: 'https://spam.example' });
    expect(res.status).toBe(200);
    expect(await requests()).toEqual([]);
  });

  it('refuses a language the organisation does not write in and a topic that is not public, naming them', async () => {
    const { status, body } = await snippet('language=fr&topics=members,nope');
    expect(status).toBe(400);
    expect(body.error.issues.map((issue: { path: string }) => issue.path)).toEqual(['language', 'topics']);
    expect((await snippet('language=en&topics=Not%20a%20key')).status).toBe(400);
    expect((await snippet('language=en&colour=red')).status).toBe(400);
    expect((await snippet('language=en', app.editorToken)).status).toBe(403);
  });
});

// The preference centre behind the signed link in each mail: topics, language, pause, leave.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';
import { canonicalHtml, startTags } from '../helpers/html.js';

describe.each(databaseKinds())('preferences page on %s', (kind) => {
  let app: TestApp;
  let ben: { id: number };
  let url: string;
  const post = (body: string, target = url) =>
    fetch(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const subscriber = async () => (await app.request('GET', `/api/subscribers/${ben.id}`)).json();
  const events = async () =>
    (
      await app.db.database.db
        .selectFrom('consent_events')
        .select(['event', 'source', 'language'])
        .where('subscriber_id', '=', ben.id)
        .orderBy('id')
        .execute()
    ).map((e) => e.event);

  beforeAll(async () => {
    app = await startTestApp(kind);
    await app.request('POST', '/api/topics', {
      json: { key: 'weekly-bulletin', name: { en: 'Weekly bulletin', es: 'Boletín semanal' }, public: true },
    });
    await app.request('POST', '/api/topics', {
      json: { key: 'border', name: { en: 'Border news', es: 'Noticias de la frontera' }, public: true },
    });
    await app.request('POST', '/api/topics', { json: { key: 'board', name: { en: 'Board only' }, public: false } });
    ben = await (
      await app.request('POST', '/api/subscribers', {
        json: { email: 'ben@example.org', status: 'active', topics: ['weekly-bulletin', 'board'] },
      })
    ).json();
    url = `${app.baseUrl}/preferences/${app.stores.signer.sign('preferences', String(ben.id))}`;
  });
  afterAll(() => app.close());

  it("shows the public topics, ticked as followed, in the reader's language, and no private topic", async () => {
    const html = await (await fetch(url)).text();
    expect(html).toContain('<html lang="en">');
    expect(startTags(html, 'input').find((input) => input.value === 'weekly-bulletin')).toHaveProperty('checked');
    const border = startTags(html, 'input').find((input) => input.value === 'border');
    expect(border).toMatchObject({ type: 'checkbox' });
    expect(border).not.toHaveProperty('checked');
    expect(html).not.toContain('Board only');
    expect(html).toContain('b•••@example.org');
    const es = await (await fetch(`${url}?lang=es`)).text();
    expect(es).toContain('<html lang="es">');
    expect(es).toContain('Noticias de la frontera');
  });

  it("says whose mail it is, and draws every choice as a row that is its label, in the page's own style", async () => {
    const html = await (await fetch(url)).text();
    expect(html).toContain('Choose what you receive from Pregón at <strong>b•••@example.org</strong>.');
    // Two topics, four pauses (keep, 30, 60, 90), leave: each input inside a row the page styles.
    const inputs = [...html.matchAll(/<input type="(checkbox|radio)"/g)];
    expect(inputs).toHaveLength(7);
    expect([...html.matchAll(/<label class="choice"><input type="(checkbox|radio)"/g)]).toHaveLength(7);
    expect(canonicalHtml(html)).toContain(
      canonicalHtml(
        '<p class="field"><label for="language">Language of your emails</label><br>' +
          '<select id="language" name="language">',
      ),
    );
    expect(html).toMatch(/\.choice \{[^}]*border: 2px solid/);
    expect(html).toMatch(/\.choice input \{[^}]*width: 22px; height: 22px;[^}]*accent-color: #b3261e/);
    expect(html).toMatch(/input\[type=email\], input\[type=text\], select \{[^}]*min-height: 48px/);
  });

  it('saves topics and language, keeping private topics, and logs the change', async () => {
    const res = await post('topics=border&language=es&pause=keep');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Sus opciones se guardaron.');
    expect(await subscriber()).toMatchObject({ language: 'es', topics: ['board', 'border'], status: 'active' });
    expect(await events()).toEqual(['subscribed', 'preferences_changed']);
  });

  it('takes the language as people write it, a code in any case or its name', async () => {
    for (const [written, code] of [
      ['ES', 'es'],
      ['English', 'en'],
      ['Espa%C3%B1ol', 'es'],
      ['en', 'en'],
    ]) {
      expect((await post(`topics=border&language=${written}`)).status, written).toBe(200);
      expect((await subscriber()).language, written).toBe(code);
    }
  });

  it('pauses for 60 days, and resumes', async () => {
    await post('topics=border&language=es&pause=60');
    const paused = new Date((await subscriber()).pausedUntil).getTime();
    expect(paused - Date.now()).toBeGreaterThan(59 * 86_400_000);
    expect(paused - Date.now()).toBeLessThan(61 * 86_400_000);
    const preview = await (await app.request('POST', '/api/audience/preview', { json: { rule: { all: [] } } })).json();
    expect(preview.excluded.paused).toBe(1);
    await post('topics=border&language=es&pause=resume');
    expect((await subscriber()).pausedUntil).toBeNull();
    expect((await events()).slice(-2)).toEqual(['paused', 'resumed']);
  });

  it('unsubscribes from everything, and saving again later subscribes again', async () => {
    const left = await post('language=es&leave=yes');
    expect(await left.text()).toContain('Usted canceló su suscripción. No recibirá más correos nuestros.');
    expect((await subscriber()).status).toBe('unsubscribed');
    await post('topics=weekly-bulletin&language=en');
    expect((await subscriber()).status).toBe('active');
    expect((await events()).slice(-3)).toEqual(['unsubscribed', 'preferences_changed', 'subscribed']);
  });

  it('refuses a tampered or wrong-purpose token, and bad choices, changing nothing', async () => {
    const before = await subscriber();
    for (const target of [
      `${url.slice(0, -3)}xyz`,
      `${app.baseUrl}/preferences/${app.stores.signer.sign('unsubscribe', `${ben.id}:0`)}`,
    ]) {
      expect((await fetch(target)).status).toBe(400);
      expect((await post('language=es', target)).status).toBe(400);
    }
    expect((await post('language=klingon')).status).toBe(400);
    expect((await post('language=en&pause=365')).status).toBe(400);
    expect(await subscriber()).toEqual(before);
  });
});

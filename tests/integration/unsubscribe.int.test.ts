// One-click unsubscribe (RFC 8058): POST unsubscribes at once; GET changes nothing. Every page
// says what the reader leaves and leads on: a pause or fewer topics instead, the way back after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';

describe.each(databaseKinds())('unsubscribe links on %s', (kind) => {
  let app: TestApp;
  let ana: { id: number };
  const link = (payload: string, purpose: 'unsubscribe' | 'preferences' = 'unsubscribe') =>
    `${app.baseUrl}/unsubscribe/${app.stores.signer.sign(purpose, payload)}`;
  const status = async () => (await (await app.request('GET', `/api/subscribers/${ana.id}`)).json()).status;
  const events = () =>
    app.db.database.db
      .selectFrom('consent_events')
      .select(['event', 'source', 'campaign_id', 'language'])
      .where('subscriber_id', '=', ana.id)
      .orderBy('id')
      .execute();

  /** Whose preferences the page's "Subscribe again" link opens, if it has one. */
  const wayBack = (html: string) => {
    const token = /<a href="\/preferences\/([^"?]+)\?lang=\w+">(Subscribe again|Vuelva a suscribirse)<\/a>/.exec(
      html,
    )?.[1];
    return token && app.stores.signer.verify('preferences', token);
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    await app.request('PUT', '/api/settings', { json: { organisationName: 'Red de Derechos' } });
    ana = await (
      await app.request('POST', '/api/subscribers', {
        json: { email: 'ana@example.org', language: 'es', status: 'active' },
      })
    ).json();
  });
  afterAll(() => app.close());

  it("shows a page with a button on GET, in the subscriber's language, and changes nothing", async () => {
    const res = await fetch(link(`${ana.id}:12`));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('<form method="post"><button type="submit">Cancelar mi suscripción</button></form>');
    expect(html).toContain('a•••@example.org');
    expect(html).not.toContain('ana@example.org');
    expect(await status()).toBe('active');
    expect(await events()).toHaveLength(1);
  });

  it('says the reader leaves every email of the organisation and links a pause or fewer topics instead', async () => {
    // No public topic yet: nothing to choose, so only the pause is offered, and the preferences page has no topics.
    const untopical = await (await fetch(link(`${ana.id}:12`))).text();
    expect([...untopical.matchAll(/href="\/preferences\/[^"]+#(\w+)"/g)].map((m) => m[1])).toEqual(['pause']);
    expect(
      await (await fetch(`${app.baseUrl}/preferences/${app.stores.signer.sign('preferences', String(ana.id))}`)).text(),
    ).not.toContain('id="topics"');
    await app.request('POST', '/api/topics', {
      json: { key: 'weekly-bulletin', name: { en: 'Weekly bulletin', es: 'Boletín semanal' }, public: true },
    });

    for (const [lang, words] of [
      [
        'en',
        [
          'Stop receiving every email from Red de Derechos at <strong>a•••@example.org</strong>.',
          'Pause our emails for 30, 60 or 90 days',
          'Choose the topics you receive',
        ],
      ],
      [
        'es',
        [
          'Dejar de recibir todos los correos de Red de Derechos en <strong>a•••@example.org</strong>.',
          'Pausar nuestros correos durante 30, 60 o 90 días',
          'Elegir los temas que recibe',
        ],
      ],
    ] as const) {
      const html = await (await fetch(`${link(`${ana.id}:12`)}?lang=${lang}`)).text();
      expect(html).toContain(`<html lang="${lang}">`);
      for (const text of words) expect(html).toContain(text);
      const targets = [...html.matchAll(/href="\/preferences\/([^"?]+)\?lang=(\w+)#(\w+)"/g)].map((m) => [
        app.stores.signer.verify('preferences', m[1]!),
        m[2],
        m[3],
      ]);
      expect(targets).toEqual([
        [String(ana.id), lang, 'pause'],
        [String(ana.id), lang, 'topics'],
      ]);
    }
    const preferences = await (
      await fetch(`${app.baseUrl}/preferences/${app.stores.signer.sign('preferences', String(ana.id))}`)
    ).text();
    expect(preferences).toContain('<fieldset id="pause">');
    expect(preferences).toContain('<fieldset id="topics">');
    expect(await status()).toBe('active');
  });

  it('refuses tampered, cut and wrong-purpose tokens with a friendly 400 and changes nothing', async () => {
    const good = link(`${ana.id}:12`);
    for (const url of [
      `${good.slice(0, -3)}abc`,
      good.slice(0, -10),
      link(`${ana.id}:12`, 'preferences'),
      link('999999:12'),
      `${app.baseUrl}/unsubscribe/nonsense`,
    ]) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(url, { method });
        expect(res.status, `${method} ${url}`).toBe(400);
        expect(await res.text()).toContain('This link does not work');
      }
    }
    expect(await status()).toBe('active');
  });

  it('unsubscribes at once on the one-click POST, logs the campaign, and is idempotent', async () => {
    const res = await fetch(link(`${ana.id}:12`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    const done = await res.text();
    expect(done).toContain('<h1>Su suscripción se canceló</h1>');
    expect(done).toContain('No recibirá más correos de Red de Derechos en <strong>a•••@example.org</strong>.');
    expect(await status()).toBe('unsubscribed');
    const again = await fetch(link(`${ana.id}:12`), { method: 'POST' }); // an empty body, as some clients send
    expect(again.status).toBe(200);
    expect((await events()).slice(1)).toEqual([
      { event: 'unsubscribed', source: 'link', campaign_id: 12, language: 'es' },
    ]);
    expect(wayBack(done)).toBe(String(ana.id));
  });

  it('tells someone who already left so, with no button and the way back, and changes nothing', async () => {
    const before = await events();
    const res = await fetch(`${link(`${ana.id}:12`)}?lang=en`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>You are already unsubscribed</h1>');
    expect(html).toContain('Red de Derechos sends no more emails to <strong>a•••@example.org</strong>.');
    expect(html).not.toContain('<form');
    expect(wayBack(html)).toBe(String(ana.id));
    expect(await events()).toEqual(before);

    // The way back: the preferences page, where saving subscribes again.
    const [, path] = /href="(\/preferences\/[^"]+)">Subscribe again<\/a>/.exec(html)!;
    const preferences = await (await fetch(`${app.baseUrl}${path!.replaceAll('&amp;', '&')}`)).text();
    expect(preferences).toContain('You are unsubscribed. Saving your choices subscribes you again.');
    expect(preferences).toContain('<button type="submit">Save and subscribe again</button>');
    expect(preferences).not.toContain('name="leave"');
  });

  it('tells a bounced address that no more mail goes to it, with no button', async () => {
    const bounced = await (
      await app.request('POST', '/api/subscribers', { json: { email: 'bea@example.org', status: 'active' } })
    ).json();
    await app.db.database.db
      .updateTable('subscribers')
      .set({ status: 'bounced' })
      .where('id', '=', bounced.id)
      .execute();
    const html = await (await fetch(link(`${bounced.id}:12`))).text();
    expect(html).toContain('<h1>We no longer send emails to this address</h1>');
    expect(html).not.toContain('<form');
    expect(html).not.toContain('Subscribe again');
  });

  it('serves the SES events webhook beside the public pages, refusing what is not a signed SNS message', async () => {
    const res = await fetch(`${app.baseUrl}/webhooks/ses`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ outcome: 'malformed' });
  });
});

// One-click unsubscribe (RFC 8058): POST unsubscribes at once; GET changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';

describe.each(databaseKinds())('unsubscribe links on %s', (kind) => {
  let app: TestApp;
  let ana: { id: number };
  const link = (payload: string, purpose: 'unsubscribe' | 'preferences' = 'unsubscribe') => `${app.baseUrl}/unsubscribe/${app.stores.signer.sign(purpose, payload)}`;
  const status = async () => (await (await app.request('GET', `/api/subscribers/${ana.id}`)).json()).status;
  const events = () => app.db.database.db.selectFrom('consent_events').select(['event', 'source', 'campaign_id', 'language']).where('subscriber_id', '=', ana.id).orderBy('id').execute();

  beforeAll(async () => {
    app = await startTestApp(kind);
    ana = await (await app.request('POST', '/api/subscribers', { json: { email: 'ana@example.org', language: 'es', status: 'active' } })).json();
  });
  afterAll(() => app.close());

  it('shows a page with a button on GET, in the subscriber\'s language, and changes nothing', async () => {
    const res = await fetch(link(`${ana.id}:12`));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('<form method="post"><button type="submit">Darme de baja</button></form>');
    expect(html).toContain('a•••@example.org');
    expect(html).not.toContain('ana@example.org');
    expect(await status()).toBe('active');
    expect(await events()).toHaveLength(1);
  });

  it('refuses tampered, cut and wrong-purpose tokens with a friendly 400 and changes nothing', async () => {
    const good = link(`${ana.id}:12`);
    for (const url of [`${good.slice(0, -3)}abc`, good.slice(0, -10), link(`${ana.id}:12`, 'preferences'), link('999999:12'), `${app.baseUrl}/unsubscribe/nonsense`]) {
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
    expect(await res.text()).toContain('Te has dado de baja');
    expect(await status()).toBe('unsubscribed');
    const again = await fetch(link(`${ana.id}:12`), { method: 'POST' }); // an empty body, as some clients send
    expect(again.status).toBe(200);
    expect((await events()).slice(1)).toEqual([{ event: 'unsubscribed', source: 'link', campaign_id: 12, language: 'es' }]);
  });

  it('serves the SES events webhook beside the public pages, refusing what is not a signed SNS message', async () => {
    const res = await fetch(`${app.baseUrl}/webhooks/ses`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ outcome: 'malformed' });
  });
});

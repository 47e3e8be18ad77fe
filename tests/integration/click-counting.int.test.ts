// Tracked links count one click per client (an IPv4 address, an IPv6 /64) and link every 10 minutes,
// however often it is followed, and always redirect; Redis keeps no client address, and when
// Redis is away every click counts. A link counts under the language its signed token names.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { clickToken } from '../../src/sending/click-token.js';
import { CLICK_WINDOW_MS } from '../../src/sending/recent-clicks.js';

describe.each(databaseKinds())('click counts on %s', (kind) => {
  let app: TestApp;
  let offline: TestApp;

  beforeAll(async () => {
    [app, offline] = await Promise.all([
      startTestApp(kind),
      // Redis for everything but the queues unreachable: nothing answers on port 9.
      startTestApp(kind, { redisUrl: 'redis://127.0.0.1:9' }),
    ]);
  });
  afterAll(() => Promise.all([app?.close(), offline?.close()]));

  /** A campaign with two tracked links; the path of each one's redirect. */
  const links = async (target: TestApp) => {
    const bulletin = await target.stores.bulletins.create(exampleBulletin());
    const campaignId = await insertCampaign(target.db, bulletin);
    const ids = await target.stores.campaignLinks.register(campaignId, [
      { block: 0, url: 'https://example.net/petition' },
      { block: 1, url: 'https://example.net/donate' },
    ]);
    return [...ids.values()].map((id) => ({ id, path: `/c/${target.stores.signer.sign('click', String(id))}` }));
  };
  const clicks = async (target: TestApp, id: number) =>
    (
      await target.db.database.db
        .selectFrom('campaign_links')
        .select('clicks')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).clicks;
  const follow = async (target: TestApp, path: string, client: string) => {
    // The test app trusts its loopback proxy, so the client is the one X-Forwarded-For names.
    const res = await fetch(`${target.baseUrl}${path}`, {
      redirect: 'manual',
      headers: { 'x-forwarded-for': client },
    });
    return { status: res.status, location: res.headers.get('location') };
  };

  it('counts a client once per link and window, however often it follows it; the redirect always works', async () => {
    const [petition, donate] = await links(app);
    for (let i = 0; i < 50; i++) {
      expect(await follow(app, petition!.path, '203.0.113.7')).toEqual({
        status: 302,
        location: 'https://example.net/petition',
      });
    }
    expect(await clicks(app, petition!.id)).toBe(1);

    await follow(app, petition!.path, '203.0.113.8');
    // One IPv6 /64 is one client, whatever its last 64 bits.
    await follow(app, petition!.path, '2001:db8:1:2::1');
    await follow(app, petition!.path, '2001:db8:1:2:ffff:ffff:ffff:9');
    await follow(app, petition!.path, '2001:db8:1:3::1');
    expect(await clicks(app, petition!.id)).toBe(4);
    // Another link is another count.
    expect((await follow(app, donate!.path, '203.0.113.7')).status).toBe(302);
    expect(await clicks(app, donate!.id)).toBe(1);

    // Redis holds a key per client and link, expiring with the window, naming no address.
    const redis = new Redis(app.config.redisUrl);
    try {
      const keys = await redis.keys(`${app.config.queuePrefix}:clicks:*`);
      expect(keys).toHaveLength(5);
      expect(keys.filter((key) => /203\.0\.113|2001:db8/.test(key))).toEqual([]);
      for (const key of keys) {
        const ttl = await redis.pttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(CLICK_WINDOW_MS);
      }
    } finally {
      redis.disconnect();
    }
  });

  it('counts a click under the language its link names, an old link under none, a forged one not at all', async () => {
    const [petition] = await links(app);
    const id = petition!.id;
    const byLanguage = async () =>
      Object.fromEntries(
        (
          await app.db.database.db
            .selectFrom('campaign_link_clicks')
            .select(['language', 'clicks'])
            .where('link_id', '=', id)
            .execute()
        ).map((r) => [r.language, r.clicks]),
      );
    const spanish = `/c/${clickToken(app.stores.signer, id, 'es')}`;
    for (const client of ['203.0.113.21', '203.0.113.22'])
      expect(await follow(app, spanish, client)).toEqual({ status: 302, location: 'https://example.net/petition' });
    await follow(app, `/c/${clickToken(app.stores.signer, id, 'en')}`, '203.0.113.23');
    // A mail sent before links named their language: still redirected and counted, in the total only.
    expect((await follow(app, petition!.path, '203.0.113.24')).status).toBe(302);
    expect(await byLanguage()).toEqual({ es: 2, en: 1 });
    expect(await clicks(app, id)).toBe(4);

    // The Spanish token with English (or another link) written into it: its signature no longer holds.
    const [, signature] = spanish.slice(3).split('.');
    for (const payload of [`${id}:en`, `${id + 1}:es`, `${id}:es:en`]) {
      const forged = `/c/${Buffer.from(payload).toString('base64url')}.${signature}`;
      expect(await follow(app, forged, '203.0.113.25')).toEqual({ status: 404, location: null });
    }
    expect(await byLanguage()).toEqual({ es: 2, en: 1 });
    expect(await clicks(app, id)).toBe(4);
  });

  it('with Redis away, counts every click and still redirects', async () => {
    const [petition] = await links(offline);
    for (let i = 0; i < 3; i++) expect((await follow(offline, petition!.path, '203.0.113.7')).status).toBe(302);
    expect(await clicks(offline, petition!.id)).toBe(3);
  });
});

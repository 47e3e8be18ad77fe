// What staff read after a send: the campaign list with titles and counts, the report's outcomes
// (deliveries SES reported, bounces, complaints, unsubscribes), in all and by language, clicks per
// link and language, and the comparison with earlier sends.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscriberLifecycle } from '../../src/audience/subscriber-lifecycle.js';
import { SesEventStore } from '../../src/events/ses-event-store.js';
import type { SesEvent } from '../../src/events/ses-notification.js';
import { readClickToken } from '../../src/sending/click-token.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { ScriptedSes } from '../support/scripted-ses.js';

describe.each(databaseKinds())('campaign report on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let events: SesEventStore;
  let bulletinId: number;
  let copyId: number;
  let first: Record<string, any>;
  let second: Record<string, any>;

  const send = async (id: number, body: Record<string, unknown>) =>
    (await app.request('POST', `/api/bulletins/${id}/send`, { json: { resend: true, ...body } })).json();
  const get = async (path: string) => (await app.request('GET', path)).json();
  /** What SNS would tell the webhook about one message, applied as the webhook applies it. */
  const sesEvent = (event: SesEvent) => events.apply(randomUUID(), 'Notification', event);
  const messageTo = (to: string) => ses.received.find((m) => m.to === to)!;
  /** The tracked links in a reader's mail: each one's link row and the language its token names. */
  const trackedLinks = async (to: string) => {
    const tokens = [...messageTo(to).html.matchAll(/href="[^"]*\/c\/([^"/]+)"/g)].map((m) => m[1]!);
    const read = tokens.map((token) => ({ token, ...readClickToken(app.stores.signer, token)! }));
    const rows = await app.db.database.db
      .selectFrom('campaign_links')
      .select(['id', 'url'])
      .where(
        'id',
        'in',
        read.map((r) => r.linkId),
      )
      .execute();
    return read.map((r) => ({ ...r, url: rows.find((row) => row.id === r.linkId)!.url }));
  };
  const click = async (token: string, client: string) =>
    fetch(`${app.baseUrl}/c/${token}`, { redirect: 'manual', headers: { 'x-forwarded-for': client } });
  /** The example bulletin with a petition whose page differs by language: a per-language button address. */
  const petition = () => {
    const document = exampleBulletin();
    document.blocks.push({
      type: 'call_to_action',
      heading: { en: 'Sign the petition', es: 'Firme la petición' },
      body: { en: 'Add your name.', es: 'Agregue su nombre.' },
      button: {
        href: { en: 'https://example.org/petition', es: 'https://example.org/es/peticion' },
        label: { en: 'Sign', es: 'Firmar' },
      },
    });
    return document;
  };

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true, env: { SES_MAX_SEND_RATE: '50' } });
    events = new SesEventStore(app.db.database.db, new SubscriberLifecycle(app.suppressions), 3);
    bulletinId = await sendableBulletin(app, petition());
    copyId = (await (await app.request('POST', `/api/bulletins/${bulletinId}/duplicate`)).json()).id;
    await importAudience(app, 9, 'r', 'report.org');

    first = await send(bulletinId, { rule: { emailDomain: 'report.org' } });
    await waitForCampaign(app, first.id, ['sent']);
    for (let i = 0; i < 6; i++)
      await sesEvent({
        kind: 'delivery',
        messageId: messageTo(`r${i}@report.org`).messageId,
        at: new Date().toISOString(),
      });
    // SNS repeats itself: a second report of the same delivery is not a second delivery.
    await sesEvent({ kind: 'delivery', messageId: messageTo('r0@report.org').messageId, at: new Date().toISOString() });
    await sesEvent({
      kind: 'bounce',
      permanent: true,
      emails: ['r6@report.org'],
      messageId: messageTo('r6@report.org').messageId,
    });
    await sesEvent({
      kind: 'bounce',
      permanent: false,
      emails: ['r5@report.org'],
      messageId: messageTo('r5@report.org').messageId,
    });
    await sesEvent({ kind: 'complaint', emails: ['r7@report.org'], messageId: messageTo('r7@report.org').messageId });
    const unsubscribe = new URL(/^<(.+)>$/.exec(messageTo('r8@report.org').headers['List-Unsubscribe']!)![1]!);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${app.baseUrl}${unsubscribe.pathname}`, {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(200);
    }
    const link = await app.db.database.db
      .selectFrom('campaign_links')
      .select('id')
      .where('campaign_id', '=', first.id)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 3; i++) {
      // Three readers of a mail sent before links named their language (/c/<signed link id>): one
      // reader's clicks on a link count once (click-counting.int.test.ts).
      const res = await click(app.stores.signer.sign('click', String(link.id)), `203.0.113.${i + 1}`);
      expect(res.status).toBe(302);
    }
    // Two Spanish readers follow their petition link, one English reader theirs.
    const spanish = (await trackedLinks('r0@report.org')).find((l) => l.url === 'https://example.org/es/peticion')!;
    const english = (await trackedLinks('r1@report.org')).find((l) => l.url === 'https://example.org/petition')!;
    for (const client of ['198.51.100.1', '198.51.100.2'])
      expect((await click(spanish.token, client)).headers.get('location')).toBe('https://example.org/es/peticion');
    expect((await click(english.token, '198.51.100.3')).headers.get('location')).toBe('https://example.org/petition');

    // The copy goes to those still eligible, without tracking.
    second = await send(copyId, { rule: { emailDomain: 'report.org' }, tracking: 'off' });
    await waitForCampaign(app, second.id, ['sent']);
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  it("reports each person's outcome once: delivered, bounced for good, complained or unsubscribed", async () => {
    const report = await get(`/api/campaigns/${first.id}`);
    expect(report.counts).toMatchObject({ total: 9, sent: 9 });
    expect(report.outcomes).toEqual({ delivered: 6, bounced: 1, complained: 1, unsubscribed: 1 });
    expect(report.links.reduce((sum: number, l: { clicks: number }) => sum + l.clicks, 0)).toBe(6);
    expect(report.outcomesByLanguage).toEqual({
      en: { sent: 6, delivered: 4, bounced: 0, complained: 1, unsubscribed: 1, clicks: 1 },
      es: { sent: 3, delivered: 2, bounced: 1, complained: 0, unsubscribed: 0, clicks: 2 },
    });
    // Per link and language; the clicks on the link mailed without a language count in its total only.
    const link = (url: string) => report.links.find((l: { url: string }) => l.url === url);
    expect(link('https://example.org/petition')).toMatchObject({ clicks: 1, byLanguage: { en: 1 } });
    expect(link('https://example.org/es/peticion')).toMatchObject({ clicks: 2, byLanguage: { es: 2 } });
    expect(report.links[0]).toMatchObject({ clicks: 3, byLanguage: {} });

    const later = await get(`/api/campaigns/${second.id}`);
    expect(later.counts).toMatchObject({ total: 6, sent: 6 });
    expect(later.outcomes).toEqual({ delivered: 0, bounced: 0, complained: 0, unsubscribed: 0 });
    // Without tracking, no language's clicks are counted.
    expect(later.outcomesByLanguage).toEqual({
      en: { sent: 4, delivered: 0, bounced: 0, complained: 0, unsubscribed: 0, clicks: null },
      es: { sent: 2, delivered: 0, bounced: 0, complained: 0, unsubscribed: 0, clicks: null },
    });
  });

  it("gives each reader's mail its own language's links, each naming that language", async () => {
    const spanish = await trackedLinks('r0@report.org');
    const english = await trackedLinks('r1@report.org');
    expect(spanish.length).toBeGreaterThan(1);
    expect(new Set(spanish.map((l) => l.language))).toEqual(new Set(['es']));
    expect(new Set(english.map((l) => l.language))).toEqual(new Set(['en']));
    expect(spanish.map((l) => l.url)).toContain('https://example.org/es/peticion');
    expect(spanish.map((l) => l.url)).not.toContain('https://example.org/petition');
    expect(english.map((l) => l.url)).toContain('https://example.org/petition');
    expect(english.map((l) => l.url)).not.toContain('https://example.org/es/peticion');
    // A link both languages have is one row, named by each language's token.
    const shared = english.find((l) => l.url === 'https://nnirr.org/petition-refugee-admissions')!;
    expect(spanish.find((l) => l.url === shared.url)!.linkId).toBe(shared.linkId);
  });

  it("lists campaigns newest first with their bulletin's title and counts by delivery status", async () => {
    const scheduled = await send(bulletinId, {
      rule: { emailDomain: 'report.org' },
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const { data } = await get('/api/campaigns');
    expect(data.map((c: { id: number }) => c.id)).toEqual([scheduled.id, second.id, first.id]);
    expect(data[0]).toMatchObject({ state: 'scheduled', counts: { total: 0, sent: 0 } });
    expect(data[1]).toMatchObject({
      state: 'sent',
      bulletinTitle: expect.stringMatching(/ \(copy\)$/),
      counts: { total: 6, sent: 6, failed: 0 },
    });
    expect(data[2]).toMatchObject({ state: 'sent', counts: { total: 9, sent: 9, queued: 0 } });
    expect(data[2].bulletinTitle).toBe(data[1].bulletinTitle.replace(/ \(copy\)$/, ''));
    expect(data[0].bulletinTitle).toBe(data[2].bulletinTitle);
    await app.request('POST', `/api/campaigns/${scheduled.id}/cancel`);
  });

  it('compares a campaign with the sends that started before it, with rates of what was sent', async () => {
    const { campaign, previous } = await get(`/api/campaigns/${second.id}/comparison`);
    expect(campaign).toMatchObject({
      id: second.id,
      bulletinId: copyId,
      tracking: 'off',
      sent: 6,
      delivered: 0,
      clicks: null,
    });
    expect(campaign.rates).toEqual({ delivered: 0, bounced: 0, complained: 0, unsubscribed: 0, clicks: null });
    expect(previous).toEqual([
      {
        id: first.id,
        bulletinId,
        bulletinTitle: expect.any(String),
        tracking: 'aggregate',
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
        sent: 9,
        delivered: 6,
        bounced: 1,
        complained: 1,
        unsubscribed: 1,
        clicks: 6,
        rates: { delivered: 0.6667, bounced: 0.1111, complained: 0.1111, unsubscribed: 0.1111, clicks: 0.6667 },
      },
    ]);

    // The first send has nothing before it; a send not yet started compares with all that did (not the cancelled one).
    expect((await get(`/api/campaigns/${first.id}/comparison`)).previous).toEqual([]);
    const upcoming = await send(bulletinId, {
      rule: { emailDomain: 'report.org' },
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const ahead = await get(`/api/campaigns/${upcoming.id}/comparison`);
    expect(ahead.campaign).toMatchObject({ id: upcoming.id, sent: 0, clicks: 0, rates: null, startedAt: null });
    expect(ahead.previous.map((c: { id: number }) => c.id)).toEqual([second.id, first.id]);
    await app.request('POST', `/api/campaigns/${upcoming.id}/cancel`);

    expect((await app.request('GET', '/api/campaigns/999999/comparison')).status).toBe(404);
  });
});

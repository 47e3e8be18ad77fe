// A real campaign: BullMQ on Redis, the worker in-process, the real SES v2 client, and
// aws-ses-v2-local as SES.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSesEmulator, type SesEmulator } from '../../src/sending/ses-emulator.js';
import { startTestApp, TEST_PUBLIC_URL, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
}

// A send waits for its campaign up to waitForCampaign's 90 s, not Vitest's 30: on a loaded
// 2-core machine the 1,000-person send alone has taken 31 s.
const SEND_TIMEOUT = 120_000;

describe.each(databaseKinds())('sending a campaign on %s', (kind) => {
  let ses: SesEmulator;
  let app: TestApp;
  const inbox = async (): Promise<StoredEmail[]> =>
    ((await (await fetch(`${ses.url}/store`)).json()) as { emails: StoredEmail[] }).emails;

  beforeAll(async () => {
    ses = await startSesEmulator(0);
    await fetch(`${ses.url}/clear-store`, { method: 'POST' });
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true });
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  it(
    'sends a 1,000-recipient bulletin in English and Spanish: one mail each, nobody ineligible',
    async () => {
      const bulletinId = await sendableBulletin(app);
      await importAudience(app, 1000);
      // The ineligible: unconfirmed, unsubscribed, suppressed, and someone outside the rule
      await app.request('POST', '/api/subscribers', {
        json: { email: 'pending@example.org', topics: ['weekly-bulletin'] },
      });
      const left = await (
        await app.request('POST', '/api/subscribers', {
          json: { email: 'left@example.org', status: 'active', topics: ['weekly-bulletin'] },
        })
      ).json();
      await app.request('PATCH', `/api/subscribers/${left.id}`, { json: { status: 'unsubscribed' } });
      await app.request('POST', '/api/subscribers', {
        json: { email: 'suppressed@example.org', status: 'active', topics: ['weekly-bulletin'] },
      });
      await app.request('POST', '/api/suppressions', { json: { email: 'suppressed@example.org' } });
      await app.request('POST', '/api/subscribers', {
        json: { email: 'outside@other.org', status: 'active', topics: ['weekly-bulletin'] },
      });

      // Published in the archive, which takes a public topic: each mail's "view in browser" leads to its page.
      await app.request('PATCH', '/api/topics/weekly-bulletin', { json: { public: true } });
      const res = await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { resend: true, rule: { emailDomain: 'example.org' }, archive: true },
      });
      expect(res.status).toBe(201);
      const campaign = await res.json();
      const report = await waitForCampaign(app, campaign.id, ['sent']);
      expect(report.counts).toMatchObject({ sent: 1000, total: 1000, queued: 0, sending: 0, failed: 0, unknown: 0 });
      expect(report.byLanguage).toEqual({ en: { sent: 666 }, es: { sent: 334 } });

      const mails = await inbox();
      expect(mails).toHaveLength(1000);
      const byAddress = new Map(mails.map((m) => [m.destination.to[0]!, m]));
      expect(byAddress.size).toBe(1000);
      for (const absent of ['pending@example.org', 'left@example.org', 'suppressed@example.org', 'outside@other.org'])
        expect(byAddress.has(absent)).toBe(false);

      const unsubscribeLinks = new Set<string>();
      for (let i = 0; i < 1000; i++) {
        const mail = byAddress.get(`person${i}@example.org`)!;
        const spanish = i % 3 === 0;
        expect(mail.subject).toBe(
          spanish
            ? 'Nueva web, una petición por las personas refugiadas y los 100 días de Biden'
            : "Our new website, a petition on refugees, and Biden's first 100 days",
        );
        expect(mail.from).toBe('"NNIRR" <bulletin@nnirr.org>');
        const headers = Object.fromEntries((mail.headers ?? []).map((h) => [h.name, h.value]));
        expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
        expect(headers['List-Id']).toBe('"NNIRR weekly-bulletin" <weekly-bulletin.news.example.org>');
        const link = /^<(.+)>$/.exec(headers['List-Unsubscribe'] ?? '')?.[1];
        expect(link).toMatch(new RegExp(`^${TEST_PUBLIC_URL}/unsubscribe/`));
        expect(mail.body.html).toContain(`href="${link}"`);
        expect(mail.body.text).toContain(`${spanish ? 'Cancelar la suscripción' : 'Unsubscribe'}: ${link}`);
        expect(app.stores.signer.verify('unsubscribe', link!.split('/').at(-1)!)).toBe(
          `${await idOf(`person${i}@example.org`)}:${campaign.id}`,
        );
        expect(mail.body.html).toContain(
          `href="${TEST_PUBLIC_URL}/archive/${campaign.id}?lang=${spanish ? 'es' : 'en'}"`,
        );
        unsubscribeLinks.add(link!);
      }
      expect(unsubscribeLinks.size).toBe(1000);

      // The ledger holds each message id SES gave
      const ledger = await app.db.database.db
        .selectFrom('deliveries')
        .select(['message_id', 'status'])
        .where('campaign_id', '=', campaign.id)
        .execute();
      expect(new Set(ledger.map((d) => d.message_id))).toEqual(new Set(mails.map((m) => m.messageId)));
    },
    SEND_TIMEOUT,
  );

  it(
    'counts clicks per block and link through a redirect that names no one, unless tracking is off',
    async () => {
      const bulletinId = (await (await app.request('GET', '/api/bulletins')).json()).data[0].id;
      await importAudience(app, 3, 'click', 'clicks.org');
      const tracked = await (
        await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
          json: { resend: true, rule: { emailDomain: 'clicks.org' } },
        })
      ).json();
      await waitForCampaign(app, tracked.id, ['sent']);
      const mail = (await inbox()).find((m) => m.destination.to[0] === 'click1@clicks.org')!;
      expect(mail.body.html).not.toContain('href="https://nnirr.org/petition-refugee-admissions"');
      expect(mail.body.html).toContain('href="mailto:nnirrinfo@nnirr.org"'); // mailto stays as it is
      const redirects = [...mail.body.html!.matchAll(/href="(https:\/\/news\.example\.org\/c\/[^"]+)"/g)].map(
        (m) => m[1]!,
      );
      expect(redirects.length).toBeGreaterThanOrEqual(6);
      // Both English readers get the same redirect: it carries the link and the language, not the person;
      // the Spanish reader's names Spanish.
      const mailTo = async (to: string) => (await inbox()).find((m) => m.destination.to[0] === to)!.body.html!;
      expect(await mailTo('click2@clicks.org')).toContain(redirects[0]);
      expect(await mailTo('click0@clicks.org')).not.toContain(redirects[0]);

      const petition = await (await app.request('GET', `/api/campaigns/${tracked.id}`)).json();
      const link = petition.links.find(
        (l: { url: string }) => l.url === 'https://nnirr.org/petition-refugee-admissions',
      );
      expect(link).toMatchObject({ block: 7, clicks: 0 });
      const res = await fetch(`${app.baseUrl}${new URL(redirects[0]!).pathname}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const target = res.headers.get('location')!;
      const after = await (await app.request('GET', `/api/campaigns/${tracked.id}`)).json();
      expect(after.links.find((l: { url: string }) => l.url === target).clicks).toBe(1);
      expect((await fetch(`${app.baseUrl}/c/forged.token`, { redirect: 'manual' })).status).toBe(404);

      await importAudience(app, 1, 'quiet', 'quiet.org');
      const sensitive = await (
        await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
          json: { resend: true, rule: { emailDomain: 'quiet.org' }, tracking: 'off' },
        })
      ).json();
      await waitForCampaign(app, sensitive.id, ['sent']);
      const quiet = (await inbox()).find((m) => m.destination.to[0] === 'quiet0@quiet.org')!;
      expect(quiet.body.html).toContain('href="https://nnirr.org/petition-refugee-admissions"');
      expect(quiet.body.html).not.toContain('/c/');
    },
    SEND_TIMEOUT,
  );

  it(
    "unsubscribes at once through the mail's one-click POST, and a later send skips them",
    async () => {
      const bulletinId = (await (await app.request('GET', '/api/bulletins')).json()).data[0].id;
      await importAudience(app, 3, 'one', 'oneclick.org');
      const first = await (
        await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
          json: { resend: true, rule: { emailDomain: 'oneclick.org' } },
        })
      ).json();
      await waitForCampaign(app, first.id, ['sent']);
      const mail = (await inbox()).find((m) => m.destination.to[0] === 'one1@oneclick.org')!;
      const header = mail.headers!.find((h) => h.name === 'List-Unsubscribe')!.value;
      const url = new URL(/^<(.+)>$/.exec(header)![1]!);
      // What a mail client does for RFC 8058: POST List-Unsubscribe=One-Click to the header's URL
      const res = await fetch(`${app.baseUrl}${url.pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status).toBe(200);

      const second = await (
        await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
          json: { resend: true, rule: { emailDomain: 'oneclick.org' } },
        })
      ).json();
      const report = await waitForCampaign(app, second.id, ['sent']);
      expect(report.counts).toMatchObject({ total: 2, sent: 2 });
      expect((await inbox()).filter((m) => m.destination.to[0] === 'one1@oneclick.org')).toHaveLength(1);
      const consent = await app.db.database.db
        .selectFrom('consent_events')
        .innerJoin('subscribers', 'subscribers.id', 'consent_events.subscriber_id')
        .select(['event', 'campaign_id'])
        .where('subscribers.email', '=', 'one1@oneclick.org')
        .where('event', '=', 'unsubscribed')
        .execute();
      expect(consent).toEqual([{ event: 'unsubscribed', campaign_id: first.id }]);
    },
    SEND_TIMEOUT,
  );

  it('lands the mail\'s "view in browser" link on the campaign\'s archive page, with nothing personal', async () => {
    const mail = (await inbox()).find((m) => m.destination.to[0] === 'person0@example.org')!;
    const view = /href="([^"]+\/archive\/[^"]+)"/.exec(mail.body.html!)![1]!.replaceAll('&amp;', '&');
    const res = await fetch(`${app.baseUrl}${new URL(view).pathname}${new URL(view).search}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<html lang="es"');
    expect(page).not.toContain('person0@example.org');
    expect(page).not.toContain('/unsubscribe/');
  });

  const ids = new Map<string, number>();
  async function idOf(email: string): Promise<number> {
    if (!ids.size) {
      const rows = await app.db.database.db.selectFrom('subscribers').select(['id', 'email']).execute();
      for (const r of rows) ids.set(r.email, r.id);
    }
    return ids.get(email)!;
  }
});

// The archive's pages come from the send: rendered once when the worker prepares a published
// campaign, stored, and read by anonymous visitors without rendering anything. A real campaign:
// BullMQ on Redis, the worker in-process, the real SES v2 client and aws-ses-v2-local, with an
// MJML engine that counts its renders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessMjml, type MjmlEngine } from '../../src/render/mjml-engine.js';
import { startSesEmulator, type SesEmulator } from '../../src/sending/ses-emulator.js';
import { startTestApp, TEST_PUBLIC_URL, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';

interface StoredEmail {
  destination: { to: string[] };
  body: { html?: string };
}

const SEND_TIMEOUT = 120_000;

describe.each(databaseKinds())('archive pages stored by the send on %s', (kind) => {
  let ses: SesEmulator;
  let app: TestApp;
  let bulletinId: number;
  let renders = 0;
  const countingMjml: MjmlEngine = {
    toHtml(mjml, options) {
      renders++;
      return inProcessMjml.toHtml(mjml, options);
    },
  };
  const mailTo = async (address: string): Promise<StoredEmail> => {
    const { emails } = (await (await fetch(`${ses.url}/store`)).json()) as { emails: StoredEmail[] };
    return emails.find((m) => m.destination.to[0] === address)!;
  };
  const viewLink = (mail: StoredEmail) =>
    /href="([^"]+\/archive[^"]*)"/.exec(mail.body.html!)![1]!.replaceAll('&amp;', '&');
  /** As an anonymous visitor would: no token, redirects followed. */
  const visit = (path: string) => fetch(`${app.baseUrl}${path}`);
  const send = (json: Record<string, unknown>) =>
    app.request('POST', `/api/bulletins/${bulletinId}/send`, { json: { resend: true, ...json } });
  const storedLanguages = async (campaignId: number) =>
    (
      await app.db.database.db
        .selectFrom('archive_pages')
        .select('language')
        .where('campaign_id', '=', campaignId)
        .orderBy('language')
        .execute()
    ).map((r) => r.language);

  beforeAll(async () => {
    ses = await startSesEmulator(0);
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true, mjml: countingMjml });
    bulletinId = await sendableBulletin(app);
    await app.request('PATCH', '/api/topics/weekly-bulletin', { json: { public: true } });
  }, SEND_TIMEOUT);
  afterAll(async () => {
    await app?.close();
    await ses?.close();
  });

  it(
    'stores a published send’s pages as it is prepared; visitors read them, nothing renders, later changes do not show',
    async () => {
      await importAudience(app, 3, 'reader', 'published.org');
      const res = await send({ rule: { emailDomain: 'published.org' }, archive: true });
      expect(res.status, await res.clone().text()).toBe(201);
      const campaign = await res.json();
      expect(campaign.archive).toBe(true);
      await waitForCampaign(app, campaign.id, ['sent']);
      expect(await storedLanguages(campaign.id)).toEqual(['en', 'es']);

      // reader0 reads Spanish: their "view in browser" is the campaign's page.
      const view = new URL(viewLink(await mailTo('reader0@published.org')));
      expect(view.href).toBe(`${TEST_PUBLIC_URL}/archive/${campaign.id}?lang=es`);

      // What changes after the send does not reach the archive: the organisation's look, the bulletin.
      await app.request('PUT', '/api/settings', { json: { organisationName: 'Renamed', brandColor: '#123456' } });
      const bulletin = await (await app.request('GET', `/api/bulletins/${bulletinId}`)).json();
      const edited = { ...bulletin.document, subject: { en: 'Edited after', es: 'Editado después' } };
      expect((await app.request('PUT', `/api/bulletins/${bulletinId}`, { json: edited })).status).toBe(200);

      const before = renders;
      const pages: string[] = [];
      for (const path of [`${view.pathname}${view.search}`, `${view.pathname}?lang=en`, view.pathname]) {
        const page = await visit(path);
        expect(page.status, path).toBe(200);
        pages.push(await page.text());
      }
      expect((await visit('/archive')).status).toBe(200);
      expect(renders).toBe(before);
      expect(pages[0]).toContain('<html lang="es"');
      for (const html of pages) {
        expect(html).toContain('NNIRR');
        expect(html).not.toContain('Renamed');
        expect(html).not.toContain('#123456');
        expect(html).not.toContain('Edited after');
        expect(html).not.toContain('reader0@published.org');
        expect(html).not.toContain('/unsubscribe/');
      }
    },
    SEND_TIMEOUT,
  );

  it(
    'keeps a send out of the archive unless asked: no page stored, its mail’s "view in browser" leads to the list',
    async () => {
      await importAudience(app, 2, 'quiet', 'unpublished.org');
      const res = await send({ rule: { emailDomain: 'unpublished.org' } });
      expect(res.status, await res.clone().text()).toBe(201);
      const campaign = await res.json();
      expect(campaign.archive).toBe(false);
      await waitForCampaign(app, campaign.id, ['sent']);
      expect(await storedLanguages(campaign.id)).toEqual([]);
      expect(viewLink(await mailTo('quiet0@unpublished.org'))).toBe(`${TEST_PUBLIC_URL}/archive`);
      expect((await visit(`/archive/${campaign.id}`)).status).toBe(404);
    },
    SEND_TIMEOUT,
  );

  it('refuses to publish a bulletin of a private topic, naming archive, and creates no campaign', async () => {
    await app.request('PATCH', '/api/topics/weekly-bulletin', { json: { public: false } });
    const count = async () => (await (await app.request('GET', '/api/campaigns')).json()).data.length;
    const campaigns = await count();
    const res = await send({ rule: { emailDomain: 'published.org' }, archive: true });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('invalid_input');
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual(['archive']);
    expect(error.message).toContain('weekly-bulletin');
    expect(await count()).toBe(campaigns);
  });
});

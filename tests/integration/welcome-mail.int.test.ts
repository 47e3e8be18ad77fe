// The welcome mail, end to end: an admin turns it on, people confirm through the public link, the
// worker sends each one mail in their language through the SES emulator, once ever; a row whose
// job Redis lost is sent by the sweep; the campaign is its report and stays out of the list of sends.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullConnection } from '../../src/redis.js';
import { QueueSweep } from '../../src/sending/queue-sweep.js';
import { SendQueues } from '../../src/sending/send-queues.js';
import { startSesEmulator, type SesEmulator } from '../../src/sending/ses-emulator.js';
import { signConfirmLink } from '../../src/supporters/confirm-link.js';
import type { ConfirmationTarget } from '../../src/supporters/subscription-store.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
}

describe.each(databaseKinds())('the welcome mail on %s', (kind) => {
  let ses: SesEmulator;
  let app: TestApp;
  let bulletinId: number;
  const inbox = async (): Promise<StoredEmail[]> =>
    ((await (await fetch(`${ses.url}/store`)).json()) as { emails: StoredEmail[] }).emails;
  const mailsTo = async (address: string) => (await inbox()).filter((m) => m.destination.to[0] === address);

  /** Waits until `address` has `count` mails, then a little more, so that a second one would show. */
  async function waitForMails(address: string, count: number): Promise<StoredEmail[]> {
    const deadline = Date.now() + 30_000;
    while ((await mailsTo(address)).length < count) {
      if (Date.now() > deadline) throw new Error(`${address} has ${(await mailsTo(address)).length} mails`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    return mailsTo(address);
  }

  /** A pending subscriber, as the API adds one. */
  async function pending(email: string, language: string): Promise<ConfirmationTarget> {
    const res = await app.request('POST', '/api/subscribers', { json: { email, language } });
    expect(res.status).toBe(201);
    const { id } = await res.json();
    return (await app.stores.subscriptions.target(id, undefined))!;
  }

  /** Clicks the button of the confirmation link, as the person does. */
  async function confirm(target: ConfirmationTarget): Promise<number> {
    const token = signConfirmLink(app.stores.signer, target);
    return (await fetch(`${app.baseUrl}/confirm/${token}`, { method: 'POST' })).status;
  }

  const welcomeMail = async () => (await app.request('GET', '/api/welcome-mail')).json();
  const turnOn = (id: number, token?: string) =>
    app.request('PUT', '/api/welcome-mail', { json: { enabled: true, bulletinId: id }, token });

  beforeAll(async () => {
    ses = await startSesEmulator(0);
    await fetch(`${ses.url}/clear-store`, { method: 'POST' });
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true });
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  it('is off by default: confirming sends nothing', async () => {
    expect(await welcomeMail()).toMatchObject({ enabled: false, bulletinId: null, campaignId: null, campaigns: [] });
    expect(await confirm(await pending('early@example.org', 'en'))).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailsTo('early@example.org')).toEqual([]);
    const rows = await app.db.database.db.selectFrom('deliveries').select('id').execute();
    expect(rows).toEqual([]);
  });

  it('is not turned on while the bulletin’s checks find errors, nor by an editor', async () => {
    const created = await app.request('POST', '/api/bulletins', { json: exampleBulletin() });
    const unchecked = (await created.json()).id;
    // No postal address in the settings yet: a pre-send error.
    const res = await turnOn(unchecked);
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.message).toContain('no_postal_address');
    expect(body.error.findings.map((f: { code: string }) => f.code)).toContain('no_postal_address');
    expect((await turnOn(unchecked, app.editorToken)).status).toBe(403);
    expect((await app.request('PUT', '/api/welcome-mail', { json: { enabled: true } })).status).toBe(400);
    expect(await welcomeMail()).toMatchObject({ enabled: false, campaignId: null, campaigns: [] });
  });

  it('once on, sends each person who confirms one mail in their language, once ever', async () => {
    bulletinId = await sendableBulletin(app);
    const res = await turnOn(bulletinId);
    expect(res.status).toBe(200);
    const status = await res.json();
    expect(status).toMatchObject({ enabled: true, bulletinId, outdated: false });
    const campaign = await waitForCampaign(app, status.campaignId, ['sending'], 30_000);
    expect(campaign.kind).toBe('welcome');

    const ana = await pending('ana@example.org', 'es');
    const ben = await pending('ben@example.org', 'en');
    const [toAna, toBen] = await Promise.all([
      confirm(ana).then(() => waitForMails('ana@example.org', 1)),
      confirm(ben).then(() => waitForMails('ben@example.org', 1)),
    ]);
    expect(toAna).toHaveLength(1);
    expect(toAna[0]!.body.html).toMatch(/<html[^>]* lang="es"/);
    expect(toBen).toHaveLength(1);
    expect(toBen[0]!.body.html).toMatch(/<html[^>]* lang="en"/);
    const unsubscribe = toBen[0]!.headers?.find((h) => h.name === 'List-Unsubscribe')?.value;
    expect(unsubscribe).toMatch(/^<https:\/\/news\.example\.org\/unsubscribe\/.+>$/);

    // The same link again: already confirmed, nothing more.
    await confirm(ben);
    // Ben leaves, asks again from the form, and confirms that request: active again, no second welcome.
    await app.request('PATCH', `/api/subscribers/${ben.id}`, { json: { status: 'unsubscribed' } });
    const request = await app.stores.subscriptions.request({
      email: 'ben@example.org',
      name: 'Ben',
      language: 'es',
      topics: [],
      pageLanguage: 'es',
    });
    expect(request?.requestId).toBeDefined();
    expect(await confirm(request!)).toBe(200);
    expect((await app.stores.supporters.subscriber(ben.id))?.status).toBe('active');
    expect(await waitForMails('ben@example.org', 1)).toHaveLength(1);

    // Its page is its report; it stays open while the welcome mail is on, and is no send of the bulletin.
    const report = await waitForCampaign(app, status.campaignId, ['sending']);
    expect(report.counts).toMatchObject({ sent: 2, total: 2, queued: 0 });
    expect(report.byLanguage).toEqual({ en: { sent: 1 }, es: { sent: 1 } });
    const list = (await (await app.request('GET', '/api/campaigns')).json()).data;
    expect(list.map((c: { id: number }) => c.id)).not.toContain(status.campaignId);
    const sent = await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
      json: { rule: { emailDomain: 'nobody.example' } },
    });
    expect(sent.status).toBe(201); // not 409 already_sent: the welcome mail is not a send of the bulletin
    await waitForCampaign(app, (await sent.json()).id, ['sent']);
    // The live welcome campaign cannot be cancelled from its page: the welcome mail is turned off instead.
    expect((await app.request('POST', `/api/campaigns/${status.campaignId}/cancel`)).status).toBe(409);
  });

  it('sends a confirmation’s welcome mail whose job was lost, at the next sweep', async () => {
    const { campaignId } = await welcomeMail();
    const carla = await pending('carla@example.org', 'en');
    // Committed with its ledger row, and the process gone before the job was added.
    const confirmed = await app.stores.subscriptions.confirm(carla, 'en');
    expect(confirmed.status).toBe('active');
    expect(confirmed.welcome).toMatchObject({ campaignId });
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailsTo('carla@example.org')).toEqual([]);

    const connection = bullConnection(app.config.redisUrl);
    const queues = new SendQueues(connection, app.config.queuePrefix, app.config.queueWaitMs);
    try {
      const sweep = new QueueSweep({ ...app.stores, queues, logger: pino({ level: 'silent' }) });
      expect(await sweep.sweep()).toEqual([campaignId]);
      expect(await waitForMails('carla@example.org', 1)).toHaveLength(1);
      // Nothing left to send: the open welcome campaign is left alone, with no job and no new run.
      expect(await sweep.sweep()).toEqual([]);
    } finally {
      await queues.close();
      connection.disconnect();
    }
    const report = await waitForCampaign(app, campaignId, ['sending']);
    expect(report.counts).toMatchObject({ sent: 3, total: 3 });
  });

  it('goes to no one made active by staff, and to them once they rejoin through a confirmation link', async () => {
    const { campaignId } = await welcomeMail();
    const res = await app.request('POST', '/api/subscribers', {
      json: { email: 'eva@example.org', language: 'es', status: 'active' },
    });
    const eva = (await res.json()).id;
    await app.request('PATCH', `/api/subscribers/${eva}`, { json: { status: 'unsubscribed' } });
    await app.request('PATCH', `/api/subscribers/${eva}`, { json: { status: 'active' } });
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailsTo('eva@example.org')).toEqual([]);

    await app.request('PATCH', `/api/subscribers/${eva}`, { json: { status: 'unsubscribed' } });
    const request = await app.stores.subscriptions.request({
      email: 'eva@example.org',
      name: 'Eva',
      language: 'es',
      topics: [],
      pageLanguage: 'es',
    });
    expect(await confirm(request!)).toBe(200);
    const [mail] = await waitForMails('eva@example.org', 1);
    expect(mail!.body.html).toMatch(/<html[^>]* lang="es"/);
    expect((await waitForCampaign(app, campaignId, ['sending'])).counts).toMatchObject({ sent: 4, total: 4 });
  });

  it('turned off, sends no more, and its campaign ends sent', async () => {
    const { campaignId } = await welcomeMail();
    const res = await app.request('PUT', '/api/welcome-mail', { json: { enabled: false } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: false, bulletinId, campaignId: null });
    expect(await confirm(await pending('late@example.org', 'en'))).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailsTo('late@example.org')).toEqual([]);
    expect((await waitForCampaign(app, campaignId, ['sent'])).counts).toMatchObject({ sent: 4, total: 4 });
    const audit = (await (await app.request('GET', '/api/audit')).json()).data.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['welcome_mail_turned_on', 'welcome_mail_turned_off']));
  });

  it('turned on again after the bulletin changed, sends the new version to new people only', async () => {
    const { campaignId: before } = await welcomeMail();
    expect(before).toBeNull();
    const document = { ...exampleBulletin(), subject: { en: 'Welcome aboard', es: 'Bienvenida' } };
    const saved = await app.request('PUT', `/api/bulletins/${bulletinId}`, { json: document });
    expect(saved.status).toBe(200);
    const on = await (await turnOn(bulletinId)).json();
    expect(on).toMatchObject({ enabled: true, outdated: false });
    expect(on.campaigns).toHaveLength(2);
    await waitForCampaign(app, on.campaignId, ['sending'], 30_000);
    // Ana had the first version: nothing; Dora is new: the new version.
    const dora = await pending('dora@example.org', 'en');
    expect(await confirm(dora)).toBe(200);
    const [mail] = await waitForMails('dora@example.org', 1);
    expect(mail!.subject).toBe('Welcome aboard');
    expect(await mailsTo('ana@example.org')).toHaveLength(1);
  });
});

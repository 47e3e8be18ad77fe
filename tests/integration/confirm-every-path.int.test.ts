// The double opt-in mail for subscribers staff add as pending: through the API with
// sendConfirmation, through an import with confirm=true, and again from a subscriber's page. The
// real app, queue and worker, mail through the SES emulator, the form's limits in Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullConnection, type RedisClient, rateLimitPrefix } from '../../src/redis.js';
import { startSesEmulator, type SesEmulator } from '../../src/sending/ses-emulator.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';
import { databaseSnapshot } from '../helpers/snapshot.js';

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  body: { html?: string };
}

describe.each(databaseKinds())('a confirmation mail for every sign-up path on %s', (kind) => {
  let ses: SesEmulator;
  let app: TestApp;
  /** An installation of 4 confirmations an hour: staff's take at most 2 of them. */
  let tight: TestApp;
  let redis: RedisClient;

  const allMail = async (): Promise<StoredEmail[]> =>
    ((await (await fetch(`${ses.url}/store`)).json()) as { emails: StoredEmail[] }).emails;
  const mailsTo = async (to: string) => (await allMail()).filter((mail) => mail.destination.to[0] === to);
  const settle = async (on: TestApp) => {
    for (let i = 0; i < 200; i++) {
      const counts = await on.confirmations.queue.getJobCounts('waiting', 'active', 'prioritized');
      if (Object.values(counts).every((n) => n === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('gave up waiting for the confirmation queue');
  };
  const status = async (on: TestApp, id: number) =>
    (await (await on.request('GET', `/api/subscribers/${id}`)).json()).status;
  const add = async (on: TestApp, json: Record<string, unknown>) => {
    const res = await on.request('POST', '/api/subscribers', { json });
    expect(res.status, await res.clone().text()).toBe(201);
    return res.json();
  };
  /** Confirmations waiting for a later hour (the hourly sweep waits there too). */
  const waiting = async (on: TestApp) =>
    (await on.confirmations.queue.getDelayed()).filter((job) => job.name === 'confirm');
  const importCsv = (on: TestApp, query: string, csv: string) =>
    on.request('POST', `/api/subscribers/import?${query}`, { body: csv, headers: { 'content-type': 'text/csv' } });

  beforeAll(async () => {
    ses = await startSesEmulator(0);
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true });
    tight = await startTestApp(kind, {
      sesEndpoint: ses.url,
      worker: true,
      env: { SUBSCRIBE_CONFIRMATIONS_PER_HOUR: '4' },
    });
    redis = bullConnection(tight.config.redisUrl);
  });
  afterAll(async () => {
    redis?.disconnect();
    await tight?.close();
    await app?.close();
    await ses?.close();
  });

  it('mails a subscriber added through the API with sendConfirmation a link that confirms them', async () => {
    const email = `api-${kind}@example.org`;
    const created = await add(app, { email, language: 'es', sendConfirmation: true });
    expect(created).toMatchObject({ email, status: 'pending', confirmationQueued: true });
    await settle(app);
    const [mail, ...more] = await mailsTo(email);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe('Confirme su suscripción');
    const url = new URL(/href="([^"]+\/confirm\/[^"]+)"/.exec(mail!.body.html!)![1]!);
    const confirmed = await fetch(`${app.baseUrl}${url.pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(confirmed.status).toBe(200);
    expect(await status(app, created.id)).toBe('active');

    // Without sendConfirmation, no mail, as before
    const quiet = await add(app, { email: `quiet-${kind}@example.org` });
    expect(quiet.confirmationQueued).toBe(false);
    await settle(app);
    expect(await mailsTo(`quiet-${kind}@example.org`)).toEqual([]);
  });

  it('refuses sendConfirmation for an active subscriber, naming the field, and adds no one', async () => {
    const before = await databaseSnapshot(app.db);
    const res = await app.request('POST', '/api/subscribers', {
      json: { email: `active-${kind}@example.org`, status: 'active', sendConfirmation: true },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.issues).toEqual([expect.objectContaining({ path: 'sendConfirmation' })]);
    expect(await databaseSnapshot(app.db)).toEqual(before);
  });

  it('mails, after an import with confirm=true, only the new pending subscribers, and counts them', async () => {
    const known = await add(app, { email: `known-${kind}@example.org` });
    await add(app, { email: `member-${kind}@example.org`, status: 'active' });
    const csv = [
      'email,name',
      `new1-${kind}@example.org,One`,
      `known-${kind}@example.org,Known`,
      `new2-${kind}@example.org,Two`,
      `member-${kind}@example.org,Member`,
      `NEW1-${kind}@example.org,Again`,
      'not-an-address,Bad',
    ].join('\n');
    const res = await importCsv(app, 'status=pending&confirm=true', csv);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ created: 2, merged: 3, failed: 1, confirmationsQueued: 2 });
    await settle(app);
    expect(await mailsTo(`new1-${kind}@example.org`)).toHaveLength(1);
    expect(await mailsTo(`new2-${kind}@example.org`)).toHaveLength(1);
    expect(await mailsTo(`known-${kind}@example.org`)).toEqual([]);
    expect(await mailsTo(`member-${kind}@example.org`)).toEqual([]);
    expect(await status(app, known.id)).toBe('pending');

    // Without confirm, pending and quiet, as before; the report says nothing of confirmations
    const quiet = await (await importCsv(app, 'status=pending', `email\nsilent-${kind}@example.org\n`)).json();
    expect(quiet).not.toHaveProperty('confirmationsQueued');
    await settle(app);
    expect(await mailsTo(`silent-${kind}@example.org`)).toEqual([]);
  });

  it('refuses confirm=true without status=pending, naming confirm, and imports nothing', async () => {
    const before = await databaseSnapshot(app.db);
    for (const query of ['confirm=true', 'status=active&confirm=true', 'status=pending&confirm=yes']) {
      const res = await importCsv(app, query, `email\nrefused-${kind}@example.org\n`);
      expect(res.status, query).toBe(400);
      expect((await res.json()).error.issues, query).toEqual([expect.objectContaining({ path: 'confirm' })]);
    }
    expect(await databaseSnapshot(app.db)).toEqual(before);
  });

  it('queues the mail again from the resend route, audited, and holds it past three a day to one mailbox', async () => {
    const email = `again-${kind}@example.org`;
    const { id } = await add(app, { email, sendConfirmation: true });
    for (let i = 0; i < 3; i++) {
      const res = await app.request('POST', `/api/subscribers/${id}/confirmation`, { token: app.editorToken });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ confirmationQueued: true });
    }
    await settle(app);
    // The first and two more: the mailbox's three a day, whoever asks
    expect(await mailsTo(email)).toHaveLength(3);
    const audit = await (await app.request('GET', '/api/audit?action=confirmation_resent')).json();
    expect(audit.data.filter((entry: { target?: { id: number } }) => entry.target?.id === id)).toHaveLength(3);
    expect(JSON.stringify(audit)).not.toContain(email);
  });

  it('answers the resend route 404 for an unknown id and 409 for a subscriber who is not pending', async () => {
    expect((await app.request('POST', '/api/subscribers/999999/confirmation')).status).toBe(404);
    const { id } = await add(app, { email: `settled-${kind}@example.org`, status: 'active' });
    const res = await app.request('POST', `/api/subscribers/${id}/confirmation`);
    expect(res.status).toBe(409);
    expect((await res.json()).error.message).toMatch(/active/);
    await settle(app);
    expect(await mailsTo(`settled-${kind}@example.org`)).toEqual([]);
  });

  it("keeps staff's confirmations to half the installation's hour, and sends the rest in a later hour", async () => {
    const csv = ['email', ...[1, 2, 3, 4, 5].map((n) => `bulk${n}-${kind}@example.net`)].join('\n');
    const report = await (await importCsv(tight, 'status=pending&confirm=true', csv)).json();
    expect(report.confirmationsQueued).toBe(5);
    await settle(tight);
    // The emulator's store is one per process, both databases' mail in it
    const bulk = async () =>
      (await allMail()).filter(
        (mail) =>
          mail.destination.to[0]!.startsWith('bulk') && mail.destination.to[0]!.endsWith(`-${kind}@example.net`),
      );
    expect(await bulk()).toHaveLength(2);
    // The other three wait for the next hour, not dropped
    expect(await waiting(tight)).toHaveLength(3);

    // The form keeps the other half of the hour
    const form = await fetch(`${tight.baseUrl}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=form-${kind}%40example.net&language=en`,
    });
    expect(form.status).toBe(200);
    await settle(tight);
    expect(await mailsTo(`form-${kind}@example.net`)).toHaveLength(1);

    // A new hour: the waiting mails go, two of them, and the third waits again; none spent its mailbox's day
    await redis.del(`${rateLimitPrefix(tight.config.queuePrefix)}:confirmation-mails:all`);
    for (const job of await waiting(tight)) await job.promote();
    await settle(tight);
    expect(await bulk()).toHaveLength(4);
    expect(await waiting(tight)).toHaveLength(1);
    expect(new Set((await bulk()).map((mail) => mail.destination.to[0])).size).toBe(4);

    // Held by the hour more times than its mailbox's three a day, the last one still goes
    for (let i = 0; i < 3; i++) {
      for (const job of await waiting(tight)) await job.promote();
      await settle(tight);
      expect(await waiting(tight)).toHaveLength(1);
    }
    await redis.del(`${rateLimitPrefix(tight.config.queuePrefix)}:confirmation-mails:all`);
    for (const job of await waiting(tight)) await job.promote();
    await settle(tight);
    expect(await bulk()).toHaveLength(5);
    expect(await waiting(tight)).toEqual([]);
  });
});

// The SES events webhook end to end: signed SNS notifications POSTed over HTTP to a real app on
// a real database. The signing certificate is made by the test and served by an injected fetcher.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testMediaFiles } from '../helpers/media.js';
import { createStores, type Stores } from '../../src/stores.js';
import { sesWebhookRouter } from '../../src/events/routes.js';
import { SesEvents } from '../../src/events/ses-events.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.js';
import { SnsSigner, TEST_TOPIC_ARN, sesMessage } from '../support/sns-signer.js';

const APP_SECRET = 'test-secret-test-secret-test-secret-0123';
const TRANSIENT_BOUNCE_LIMIT = 2;

describe.each(databaseKinds())('SES events webhook on %s', (kind) => {
  let db: TestDatabase;
  let stores: Stores;
  let server: Server;
  let baseUrl: string;
  let signer: SnsSigner;
  let forger: SnsSigner;
  const confirmed: string[] = [];
  let campaignId: number;

  beforeAll(async () => {
    signer = new SnsSigner();
    // Same URL, own key: what someone who cannot sign as SNS would send.
    forger = new SnsSigner();
    db = await createTestDatabase(kind);
    stores = createStores(db.database, {
      appSecret: APP_SECRET,
      publicUrl: 'https://news.example.org',
      media: testMediaFiles(),
    });
    const events = new SesEvents({
      db: db.database.db,
      suppressions: stores.suppressions,
      transientBounceLimit: TRANSIENT_BOUNCE_LIMIT,
      fetchCertificate: signer.fetchCertificate,
      confirmSubscription: async (url) => void confirmed.push(url),
      topicArns: [TEST_TOPIC_ARN],
      logger: pino({ level: 'silent' }),
    });
    const app = express();
    app.use(sesWebhookRouter(events));
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const bulletin = await stores.bulletins.create({
      version: 1,
      title: 'Boletín',
      languages: ['en'],
      subject: { en: 'News' },
      blocks: [],
    });
    campaignId = await insertCampaign(db, bulletin, { tracking: 'off' });
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await db?.drop();
  });

  beforeEach(() => {
    confirmed.length = 0;
  });

  const post = async (body: unknown): Promise<{ status: number; outcome: unknown }> => {
    const res = await fetch(`${baseUrl}/webhooks/ses`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, outcome: ((await res.json()) as { outcome: unknown }).outcome };
  };

  /** An active subscriber with a sent ledger row whose SES MessageId is `ses-<email>`. */
  const subscriber = async (email: string) => {
    const created = await stores.subscribers.create(
      { email, name: '', language: 'es', status: 'active', topics: [], tags: [], attributes: {} },
      'api',
    );
    await db.database.db
      .insertInto('deliveries')
      .values({
        campaign_id: campaignId,
        subscriber_id: created.id,
        language: 'en',
        status: 'sent',
        message_id: messageIdOf(email),
        last_error: null,
        claim: null,
        sent_at: new Date().toISOString(),
        delivered_at: null,
        updated_at: new Date().toISOString(),
      })
      .execute();
    return created.id;
  };
  const messageIdOf = (email: string) => `0100019a-${email.replace(/\W/g, '-')}-000000`;

  const state = async (id: number) => {
    const row = await db.database.db
      .selectFrom('subscribers')
      .select(['status', 'transient_bounces', 'email'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const suppression = await db.database.db
      .selectFrom('suppressions')
      .select('reason')
      .where('email_hash', '=', stores.suppressions.hash(row.email))
      .executeTakeFirst();
    const consent = await db.database.db
      .selectFrom('consent_events')
      .select(['event', 'source', 'campaign_id'])
      .where('subscriber_id', '=', id)
      .where('source', '=', 'ses')
      .orderBy('id')
      .execute();
    const delivery = await db.database.db
      .selectFrom('deliveries')
      .select('delivered_at')
      .where('subscriber_id', '=', id)
      .executeTakeFirstOrThrow();
    return {
      status: row.status,
      transientBounces: row.transient_bounces,
      suppressed: suppression?.reason ?? null,
      consent,
      deliveredAt: delivery.delivered_at,
    };
  };

  /** Everything the webhook could change, to show that a refused message changed nothing. */
  const snapshot = async () => {
    const d = db.database.db;
    return {
      subscribers: await d
        .selectFrom('subscribers')
        .select(['id', 'status', 'transient_bounces'])
        .orderBy('id')
        .execute(),
      suppressions: await d.selectFrom('suppressions').select(['email_hash', 'reason']).orderBy('email_hash').execute(),
      consent: (
        await d
          .selectFrom('consent_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
      deliveries: await d.selectFrom('deliveries').select(['id', 'delivered_at']).orderBy('id').execute(),
      messages: (
        await d
          .selectFrom('sns_messages')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    };
  };

  it('a signed hard bounce marks the subscriber bounced, suppresses the address, logs the consent event', async () => {
    const id = await subscriber('hard@example.org');
    const email = 'hard@example.org';
    expect(await post(signer.notification(sesMessage.bounce([email], 'Permanent', messageIdOf(email))))).toEqual({
      status: 200,
      outcome: 'bounce',
    });
    expect(await state(id)).toMatchObject({
      status: 'bounced',
      suppressed: 'bounced',
      consent: [{ event: 'bounced', source: 'ses', campaign_id: campaignId }],
    });
    // and the send path no longer mails them
    const recipients = await stores.ledger.recipients([id], { topic: null }, new Date());
    expect(recipients.get(id)?.skip).toBe('subscriber is bounced');
  });

  it('a complaint (event publishing, SignatureVersion 2): subscriber complained, address suppressed', async () => {
    const email = 'angry@example.org';
    const id = await subscriber(email);
    const message = signer.notification(sesMessage.complaint([email.toUpperCase()], messageIdOf(email), 'eventType'), {
      version: '2',
      subject: 'Amazon SES Email Event Notification',
    });
    expect(await post(message)).toEqual({ status: 200, outcome: 'complaint' });
    expect(await state(id)).toMatchObject({
      status: 'complained',
      suppressed: 'complained',
      consent: [{ event: 'complained', source: 'ses', campaign_id: campaignId }],
    });
    expect((await stores.ledger.recipients([id], { topic: null }, new Date())).get(id)?.skip).toBe(
      'subscriber is complained',
    );
  });

  it('transient bounces are counted and suppress the address only at the limit; a delivery resets it', async () => {
    const email = 'full@example.org';
    const id = await subscriber(email);
    const soft = () => post(signer.notification(sesMessage.bounce([email], 'Transient', messageIdOf(email))));

    expect(await soft()).toEqual({ status: 200, outcome: 'bounce' });
    expect(await state(id)).toMatchObject({ status: 'active', transientBounces: 1, suppressed: null, consent: [] });

    // a delivery in between starts the count again
    expect(
      await post(signer.notification(sesMessage.delivery([email], messageIdOf(email), new Date().toISOString()))),
    ).toEqual({ status: 200, outcome: 'delivery' });
    expect(await state(id)).toMatchObject({ status: 'active', transientBounces: 0, suppressed: null });

    expect(await soft()).toEqual({ status: 200, outcome: 'bounce' });
    expect(await state(id)).toMatchObject({ status: 'active', transientBounces: 1, suppressed: null });
    // Undetermined counts as transient
    expect(await post(signer.notification(sesMessage.bounce([email], 'Undetermined', messageIdOf(email))))).toEqual({
      status: 200,
      outcome: 'bounce',
    });
    expect(await state(id)).toMatchObject({
      status: 'bounced',
      transientBounces: 2,
      suppressed: 'bounced',
      consent: [{ event: 'bounced', source: 'ses' }],
    });
  });

  it('a delivery sets delivered_at on the ledger row with that message id, and only on it', async () => {
    const email = 'ok@example.org';
    const id = await subscriber(email);
    const other = await subscriber('other@example.org');
    await db.database.db.updateTable('subscribers').set({ transient_bounces: 1 }).where('id', '=', id).execute();
    const at = '2026-05-06T07:08:09.123Z';
    expect(await post(signer.notification(sesMessage.delivery([email], messageIdOf(email), at)))).toEqual({
      status: 200,
      outcome: 'delivery',
    });
    expect(await state(id)).toMatchObject({ status: 'active', transientBounces: 0, deliveredAt: at, consent: [] });
    expect((await state(other)).deliveredAt).toBeNull();
  });

  it('the same notification twice is applied once; the second answers 200 duplicate', async () => {
    const email = 'twice@example.org';
    const id = await subscriber(email);
    const message = signer.notification(sesMessage.bounce([email], 'Transient', messageIdOf(email)));
    expect(await post(message)).toEqual({ status: 200, outcome: 'bounce' });
    expect(await post(message)).toEqual({ status: 200, outcome: 'duplicate' });
    expect((await state(id)).transientBounces).toBe(1);
  });

  it('refuses forged signatures, tampered messages, foreign certificates, unknown topics: 403, no change', async () => {
    const email = 'target@example.org';
    const id = await subscriber(email);
    const bounce = sesMessage.bounce([email], 'Permanent', messageIdOf(email));
    const before = await snapshot();
    signer.fetched.length = 0;

    expect(await post(forger.notification(bounce))).toEqual({ status: 403, outcome: 'bad_signature' });
    const genuine = signer.notification(sesMessage.bounce([email], 'Transient', messageIdOf(email)));
    expect(await post({ ...genuine, Message: bounce })).toEqual({ status: 403, outcome: 'bad_signature' });
    expect(
      await post(forger.notification(bounce, { certUrl: 'https://evil.example/SimpleNotificationService-1.pem' })),
    ).toEqual({ status: 403, outcome: 'untrusted_certificate' });
    expect(
      await post(
        forger.notification(bounce, { certUrl: 'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem' }),
      ),
    ).toEqual({ status: 403, outcome: 'untrusted_certificate' });
    expect(
      await post(signer.notification(bounce, { topicArn: 'arn:aws:sns:us-east-1:123456789012:someone-else' })),
    ).toEqual({ status: 403, outcome: 'unknown_topic' });

    expect(await snapshot()).toEqual(before);
    expect((await state(id)).status).toBe('active');
    // the foreign certificate was never fetched; ours was fetched at most once (it is cached)
    expect(signer.fetched.every((url) => url === signer.certUrl)).toBe(true);
    expect(signer.fetched.length).toBeLessThanOrEqual(1);
  });

  it('a certificate that cannot be fetched answers 503 so SNS tries again, and changes nothing', async () => {
    const before = await snapshot();
    const elsewhere = signer.notification(sesMessage.bounce(['nobody@example.org'], 'Permanent', 'm-x'), {
      certUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-missing.pem',
    });
    expect(await post(elsewhere)).toEqual({ status: 503, outcome: 'certificate_unavailable' });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a message whose Timestamp is over 6 hours old or 15 minutes ahead: 403 stale, no change', async () => {
    const email = 'late@example.org';
    const id = await subscriber(email);
    const bounce = sesMessage.bounce([email], 'Permanent', messageIdOf(email));
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const before = await snapshot();
    for (const timestamp of [at(-6 * 3_600_000 - 60_000), at(16 * 60_000), 'yesterday', '']) {
      expect(await post(signer.notification(bounce, { timestamp })), timestamp).toEqual({
        status: timestamp === '' ? 400 : 403,
        outcome: timestamp === '' ? 'malformed' : 'stale',
      });
    }
    expect(await snapshot()).toEqual(before);
    // SNS retries for at most an hour, keeping the first attempt's Timestamp: such a retry is applied.
    expect(await post(signer.notification(bounce, { timestamp: at(-5 * 3_600_000) }))).toEqual({
      status: 200,
      outcome: 'bounce',
    });
    expect((await state(id)).status).toBe('bounced');
  });

  it('forgets SNS message ids after 14 days, at most once an hour, as messages come', async () => {
    const d = db.database.db;
    const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3_600_000).toISOString();
    const old = async (id: string, days: number) =>
      d
        .insertInto('sns_messages')
        .values({ message_id: id, type: 'Notification', received_at: daysAgo(days) })
        .execute();
    const ids = async () =>
      (await d.selectFrom('sns_messages').select('message_id').where('message_id', 'like', 'old-%').execute())
        .map((r) => r.message_id)
        .sort();
    await old('old-15', 15);
    await old('old-13', 13);
    // A webhook just started: it has not pruned yet.
    const events = new SesEvents({
      db: d,
      suppressions: stores.suppressions,
      transientBounceLimit: TRANSIENT_BOUNCE_LIMIT,
      fetchCertificate: signer.fetchCertificate,
      confirmSubscription: async () => {},
      topicArns: [TEST_TOPIC_ARN],
      logger: pino({ level: 'silent' }),
    });
    const receive = async () => (await events.receive(JSON.stringify(signer.notification('{}')))).status;
    expect(await receive()).toBe(200);
    expect(await ids()).toEqual(['old-13']);
    // Within the hour, another message prunes nothing.
    await old('old-20', 20);
    expect(await receive()).toBe(200);
    expect(await ids()).toEqual(['old-13', 'old-20']);
    await d.deleteFrom('sns_messages').where('message_id', 'like', 'old-%').execute();
  });

  it('a SubscriptionConfirmation is confirmed by visiting its SubscribeURL, once', async () => {
    const message = signer.subscriptionConfirmation({ version: '2' });
    expect(await post(message)).toEqual({ status: 200, outcome: 'confirmed' });
    expect(confirmed).toEqual([message.SubscribeURL]);
    expect(await post(message)).toEqual({ status: 200, outcome: 'duplicate' });
    expect(confirmed).toHaveLength(1);
  });

  it('an unsigned or forged SubscriptionConfirmation is not confirmed', async () => {
    const message = forger.subscriptionConfirmation();
    expect(await post(message)).toEqual({ status: 403, outcome: 'bad_signature' });
    expect(await post({ ...signer.subscriptionConfirmation(), Signature: '' })).toEqual({
      status: 400,
      outcome: 'malformed',
    });
    expect(confirmed).toEqual([]);
  });

  it('an unknown SES event type answers 200 and changes nothing', async () => {
    const email = 'reader@example.org';
    await subscriber(email);
    const before = await snapshot();
    const open = JSON.stringify({
      eventType: 'Open',
      mail: { messageId: messageIdOf(email), destination: [email] },
      open: { timestamp: new Date().toISOString() },
    });
    expect(await post(signer.notification(open))).toEqual({ status: 200, outcome: 'ignored' });
    // only the message itself is recorded, so that a copy of it is known
    const { messages: messagesBefore, ...rest } = before;
    const { messages, ...after } = await snapshot();
    expect(after).toEqual(rest);
    expect(Number(messages)).toBe(Number(messagesBefore) + 1);
  });

  it('malformed bodies answer 400 and change nothing', async () => {
    const before = await snapshot();
    expect(await post('{not json')).toEqual({ status: 400, outcome: 'malformed' });
    expect(await post('')).toEqual({ status: 400, outcome: 'malformed' });
    expect(await post({ Type: 'Notification', Message: '{}' })).toEqual({ status: 400, outcome: 'malformed' });
    const { Signature: _, ...unsigned } = signer.notification('{}');
    expect(await post(unsigned)).toEqual({ status: 400, outcome: 'malformed' });
    expect(await post({ ...signer.notification('{}'), SignatureVersion: '3' })).toEqual({
      status: 400,
      outcome: 'malformed',
    });
    expect(await snapshot()).toEqual(before);
  });
});

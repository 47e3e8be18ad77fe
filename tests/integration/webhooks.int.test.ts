// Outgoing webhooks end to end: endpoints added through the API, events written in the transaction
// of what they describe, handed over and delivered by the worker's webhook loop over real Redis to a
// local receiver that verifies every Standard Webhooks signature, retried while the receiver is
// down, disabled after three days of failures with the admins told through the SES emulator.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscriberLifecycle } from '../../src/audience/subscriber-lifecycle.js';
import { bullConnection } from '../../src/redis.js';
import { startSesEmulator, type SesEmulator } from '../../src/sending/ses-emulator.js';
import { SesSender, sesClient } from '../../src/sending/ses-sender.js';
import { webhookEventsSchema } from '../../src/webhooks/events.js';
import { WebhookDeliverer } from '../../src/webhooks/webhook-deliverer.js';
import { mailAdmins, webhookWorker } from '../../workers/webhook-worker.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

async function until<T>(what: string, value: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await value();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(databaseKinds())('webhooks on %s', (kind) => {
  let app: TestApp;
  let ses: SesEmulator;
  let worker: { close(): Promise<void> };
  const receiver = new WebhookReceiver();
  let url: string;
  let endpointId: number;
  const connection = bullConnection(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');

  beforeAll(async () => {
    ses = await startSesEmulator(0);
    app = await startTestApp(kind, { sesEndpoint: ses.url });
    url = await receiver.start();
    await app.stores.staff.createUser({ email: 'admin@nnirr.org', password: 'a long passphrase 42', role: 'admin' });
    const deliverer = new WebhookDeliverer({
      webhooks: app.stores.webhooks,
      queue: app.webhooks.queue,
      tellAdmins: mailAdmins({
        ...app.stores,
        sender: new SesSender(sesClient(app.config, ses.url)),
        mailFrom: app.config.mailFrom,
        publicUrl: app.config.publicUrl,
      }),
      logger: pino({ level: 'silent' }),
      // The schedule's shape, at a test's pace.
      retryDelaysMs: [300, 600, 1200, 2400],
    });
    worker = webhookWorker(deliverer, connection, app.config.queuePrefix, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await worker?.close();
    await app?.close();
    await receiver.close();
    await ses?.close();
    connection.disconnect();
  });

  it('adds an endpoint with a secret shown once, and refuses an address it may not post to', async () => {
    const refused = await app.request('POST', '/api/webhooks', {
      json: { url: 'http://crm.example.org/hooks', events: ['subscriber.created'] },
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.issues).toEqual([
      { path: 'url', message: 'must be an https URL (or http to this machine, outside production)' },
    ]);
    const unknown = await app.request('POST', '/api/webhooks', { json: { url, events: ['subscriber.deleted'] } });
    expect(unknown.status).toBe(400);
    expect((await app.request('GET', '/api/webhooks')).status).toBe(200);
    expect((await (await app.request('GET', '/api/webhooks')).json()).data).toEqual([]);

    const res = await app.request('POST', '/api/webhooks', {
      json: {
        url,
        description: 'CRM',
        events: ['subscriber.created', 'subscriber.unsubscribed', 'subscriber.erased', 'campaign.finished'],
      },
    });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    receiver.secret = created.secret;
    endpointId = created.id;
    const listed = (await (await app.request('GET', '/api/webhooks')).json()).data;
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty('secret');
    expect(JSON.stringify(listed)).not.toContain(created.secret);
  });

  it('delivers what happened to subscribers, signed, once each, with only the types asked for', async () => {
    const made = await app.request('POST', '/api/subscribers', {
      json: { email: 'ana@example.org', name: 'Ana', language: 'es', status: 'active' },
    });
    const ana = await made.json();
    await app.request('PATCH', `/api/subscribers/${ana.id}`, { json: { status: 'unsubscribed' } });
    const created = await until('subscriber.created', () => receiver.of('subscriber.created')[0]);
    expect(created.data).toEqual({
      subscriber: { id: ana.id, email: 'ana@example.org', name: 'Ana', language: 'es', status: 'active' },
      source: 'api',
      campaignId: null,
    });
    const left = await until('subscriber.unsubscribed', () => receiver.of('subscriber.unsubscribed')[0]);
    expect(left.data).toMatchObject({ subscriber: { id: ana.id, status: 'unsubscribed' }, source: 'api' });
    expect(receiver.idOf(created)).not.toBe(receiver.idOf(left));
    expect(receiver.forged).toEqual([]);
    const log = (await (await app.request('GET', `/api/webhooks/${endpointId}/deliveries`)).json()).data;
    expect(log.map((d: { type: string; status: string; attempts: number; responseCode: number }) => d)).toEqual([
      expect.objectContaining({ type: 'subscriber.unsubscribed', status: 'delivered', attempts: 1, responseCode: 204 }),
      expect.objectContaining({ type: 'subscriber.created', status: 'delivered', attempts: 1, responseCode: 204 }),
    ]);
  });

  it('writes no event for a change that rolled back', async () => {
    const before = await app.db.database.db.selectFrom('webhook_events').select('id').execute();
    const ana = await app.db.database.db
      .selectFrom('subscribers')
      .select('id')
      .where('email', '=', 'ana@example.org')
      .executeTakeFirstOrThrow();
    const lifecycle = new SubscriberLifecycle(app.suppressions);
    await expect(
      app.db.database.db.transaction().execute(async (trx) => {
        await lifecycle.setStatus(trx, ana.id, 'active', { source: 'api' });
        await lifecycle.unsubscribe(trx, ana.id, { source: 'link' });
        throw new Error('the rest of the change failed');
      }),
    ).rejects.toThrow('the rest of the change failed');
    expect(await app.db.database.db.selectFrom('webhook_events').select('id').execute()).toEqual(before);
  });

  it('keeps every event for a receiver that is down, and delivers each once it is back, under one id', async () => {
    receiver.down = true;
    const people: number[] = [];
    for (const name of ['Luis', 'Marta', 'Nora']) {
      const res = await app.request('POST', '/api/subscribers', {
        json: { email: `${name.toLowerCase()}@example.org`, name, language: 'en' },
      });
      people.push((await res.json()).id);
    }
    await until('three refusals', () => new Set(receiver.refused).size >= 3 && receiver.refused.length >= 4);
    const waiting = (await (await app.request('GET', `/api/webhooks/${endpointId}/deliveries`)).json()).data;
    expect(waiting[0]).toMatchObject({
      status: 'pending',
      responseCode: 503,
      lastError: 'HTTP 503: down for maintenance',
    });
    expect(waiting[0].nextAttemptAt).not.toBeNull();
    receiver.down = false;
    await until('every event', () =>
      people.every((id) => receiver.of('subscriber.created').some((r) => r.data.subscriber.id === id)),
    );
    const ids = receiver.of('subscriber.created').map((payload) => receiver.idOf(payload));
    expect(new Set(ids).size).toBe(ids.length);
    // Each retry carried the id the receiver finally got.
    expect(receiver.refused.every((id) => ids.includes(id))).toBe(true);
    const failed = await app.db.database.db
      .selectFrom('webhook_endpoints')
      .select('failing_since')
      .where('id', '=', endpointId)
      .executeTakeFirstOrThrow();
    expect(failed.failing_since).toBeNull();
  });

  it('queues again a delivery whose job Redis lost', async () => {
    await app.webhooks.queue.queue.pause();
    await app.request('POST', '/api/subscribers', {
      json: { email: 'olga@example.org', name: 'Olga', language: 'en' },
    });
    const pending = await until('a pending delivery', async () =>
      (
        await app.db.database.db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'pending').execute()
      ).at(0),
    );
    await app.webhooks.queue.queue.obliterate({ force: true });
    await app.webhooks.queue.queue.resume();
    await app.db.database.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: new Date(Date.now() - 120_000).toISOString() })
      .where('id', '=', pending.id)
      .execute();
    const sweeping = new WebhookDeliverer({
      webhooks: app.stores.webhooks,
      queue: app.webhooks.queue,
      tellAdmins: async () => {},
      logger: pino({ level: 'silent' }),
    });
    await sweeping.sweep();
    await until('olga', () =>
      receiver.of('subscriber.created').find((r) => r.data.subscriber.email === 'olga@example.org'),
    );
  });

  it('says when a send that started has finished, never of one cancelled before it started', async () => {
    const { db } = app.db.database;
    const bulletin = await app.stores.bulletins.create(exampleBulletin());
    const started = await insertCampaign(
      app.db,
      { id: bulletin.id, versionId: bulletin.versionId },
      {
        state: 'scheduled',
        started_at: null,
        finished_at: null,
      },
    );
    const never = await insertCampaign(
      app.db,
      { id: bulletin.id, versionId: bulletin.versionId },
      {
        state: 'scheduled',
        started_at: null,
        finished_at: null,
      },
    );
    await app.stores.campaigns.start(started, '');
    await app.stores.campaigns.startSending(started);
    await app.stores.campaigns.finish(started);
    await app.stores.campaigns.cancel(never);
    const finished = await until('campaign.finished', () => receiver.of('campaign.finished')[0]);
    expect(finished.data).toEqual({
      campaign: {
        id: started,
        bulletinId: bulletin.id,
        kind: 'bulletin',
        state: 'sent',
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
      },
    });
    expect(await db.selectFrom('webhook_events').select('type').where('type', 'like', 'campaign.%').execute()).toEqual([
      { type: 'campaign.finished' },
    ]);
  });

  it('erases what it said of someone erased, and tells the receiver to erase them too', async () => {
    const { db } = app.db.database;
    const ana = await db
      .selectFrom('subscribers')
      .select('id')
      .where('email', '=', 'ana@example.org')
      .executeTakeFirstOrThrow();
    expect((await app.request('DELETE', `/api/subscribers/${ana.id}`)).status).toBe(204);
    const erased = await until('subscriber.erased', () => receiver.of('subscriber.erased')[0]);
    expect(erased.data).toEqual({ subscriber: { id: ana.id, email: 'ana@example.org' } });
    const left = await db.selectFrom('webhook_events').select('type').where('subscriber_id', '=', ana.id).execute();
    expect(left).toEqual([{ type: 'subscriber.erased' }]);
  });

  it('sends a test event on demand', async () => {
    const res = await app.request('POST', `/api/webhooks/${endpointId}/test`);
    expect(res.status).toBe(202);
    const test = await until('webhook.test', () => receiver.of('webhook.test')[0]);
    expect(test.data.message).toContain('your endpoint works');
  });

  it('disables an endpoint failing for three days, tells the admins, and enabling it again starts afresh', async () => {
    const { db } = app.db.database;
    await db
      .updateTable('webhook_endpoints')
      .set({ failing_since: new Date(Date.now() - 3 * 24 * 3600_000 - 60_000).toISOString() })
      .where('id', '=', endpointId)
      .execute();
    receiver.down = true;
    await app.request('POST', '/api/subscribers', { json: { email: 'pia@example.org', name: 'Pia', language: 'en' } });
    const disabled = await until('disabled', async () => {
      const endpoint = await (await app.request('GET', `/api/webhooks/${endpointId}`)).json();
      return endpoint.enabled ? undefined : endpoint;
    });
    expect(disabled.disabledReason).toMatch(/^Disabled after failing since /);
    const mails = await until('the admins told', async () => {
      const stored = (await (await fetch(`${ses.url}/store`)).json()) as {
        emails: { subject: string; destination: { to: string[] }; body: { text: string } }[];
      };
      return stored.emails.find((mail) => mail.subject.startsWith('Webhook endpoint disabled'));
    });
    expect(mails.destination.to).toEqual(['admin@nnirr.org']);
    expect(mails.body.text).toContain('/admin/settings/webhooks');
    // Disabled: nothing more is written for it, nor sent.
    const events = await db.selectFrom('webhook_events').select('id').execute();
    await app.request('POST', '/api/subscribers', {
      json: { email: 'quim@example.org', name: 'Quim', language: 'en' },
    });
    expect(await db.selectFrom('webhook_events').select('id').execute()).toEqual(events);

    receiver.down = false;
    const enabled = await app.request('PATCH', `/api/webhooks/${endpointId}`, { json: { enabled: true } });
    expect(await enabled.json()).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    await app.request('POST', '/api/subscribers', { json: { email: 'rui@example.org', name: 'Rui', language: 'en' } });
    await until('rui', () =>
      receiver.of('subscriber.created').find((r) => r.data.subscriber.email === 'rui@example.org'),
    );
  });

  it('publishes the JSON Schema of every event, which every delivered body met', async () => {
    const res = await fetch(`${app.baseUrl}/api/schemas/webhook-events.json`);
    expect(res.status).toBe(200);
    const schema = await res.json();
    expect(schema).toEqual(JSON.parse(JSON.stringify(webhookEventsSchema())));
    const types = schema.oneOf.map(
      (branch: { properties: { type: { const: string } } }) => branch.properties.type.const,
    );
    expect(types).toContain('subscriber.erased');
    expect(types).toContain('campaign.started');
  });
});

// Every transition of a subscriber's lifecycle from every status, on each database: an allowed one
// writes the subscriber row and exactly one consent event; a refused one changes nothing.
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentEventKind, ConsentSource } from '../../src/audience/schemas.js';
import { SubscriberLifecycle, type Consent } from '../../src/audience/subscriber-lifecycle.js';
import { SuppressionList } from '../../src/audience/suppressions.js';
import { isUniqueViolation } from '../../src/db/errors.js';
import { nowIso, SUBSCRIBER_STATUSES, type SubscriberStatus, type Tables } from '../../src/db/schema.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.js';

type Trx = Transaction<Tables>;
interface Someone {
  id: number;
  email: string;
  language: string;
}

/** A transition that moves a subscriber's status, with the statuses it may start from. */
interface Transition {
  name: string;
  from: readonly SubscriberStatus[];
  to: SubscriberStatus;
  event: ConsentEventKind;
  consent: Consent;
  /** The statuses to try it from, when not all. */
  tried?: readonly SubscriberStatus[];
  run: (lifecycle: SubscriberLifecycle, trx: Trx, s: Someone, consent: Consent) => Promise<unknown>;
}

const TRANSITIONS: Transition[] = [
  {
    name: 'confirm',
    from: ['pending'],
    to: 'active',
    event: 'confirmed',
    consent: { source: 'form', language: 'es' },
    run: (l, trx, s, c) => l.confirm(trx, s.id, c),
  },
  {
    name: 'unsubscribe',
    from: ['active', 'pending'],
    to: 'unsubscribed',
    event: 'unsubscribed',
    consent: { source: 'link', campaignId: null },
    run: (l, trx, s, c) => l.unsubscribe(trx, s.id, c),
  },
  {
    name: 'rejoin from a confirmed request',
    from: ['unsubscribed'],
    to: 'active',
    event: 'confirmed',
    consent: { source: 'form', language: 'es' },
    run: (l, trx, s, c) => l.rejoin(trx, s.id, { name: '', language: s.language }, c),
  },
  {
    name: 'request from the form',
    from: [],
    to: 'pending',
    event: 'subscription_requested',
    consent: { source: 'form', language: 'es' },
    run: (l, trx, s, c) => l.request(trx, { email: s.email, name: 'Stranger', language: 'es' }, c),
  },
  {
    name: 'subscribe again from the preferences page',
    from: ['unsubscribed'],
    to: 'active',
    event: 'subscribed',
    consent: { source: 'preferences', language: 'es' },
    // From active or pending, saving keeps the status (see "preferences" below).
    tried: ['unsubscribed', 'bounced', 'complained'],
    run: (l, trx, s, c) =>
      l.changePreferences(trx, s.id, { language: s.language, pausedUntil: undefined, topicsChanged: false }, c),
  },
  {
    name: 'bounce',
    from: ['active', 'pending', 'unsubscribed'],
    to: 'bounced',
    event: 'bounced',
    consent: { source: 'ses', campaignId: null },
    run: (l, trx, s, c) => l.bounce(trx, s.email.toUpperCase(), c),
  },
  {
    name: 'complain',
    from: ['active', 'pending', 'unsubscribed', 'bounced'],
    to: 'complained',
    event: 'complained',
    consent: { source: 'ses', campaignId: null },
    run: (l, trx, s, c) => l.complain(trx, ` ${s.email} `, c),
  },
  ...SUBSCRIBER_STATUSES.map(
    (status): Transition => ({
      name: `staff set ${status}`,
      from: SUBSCRIBER_STATUSES.filter((s) => s !== status),
      to: status,
      event: (
        {
          active: 'subscribed',
          pending: 'subscription_requested',
          unsubscribed: 'unsubscribed',
          bounced: 'bounced',
          complained: 'complained',
        } as const
      )[status],
      consent: { source: 'api' },
      run: (l, trx, s, c) => l.setStatus(trx, s.id, status, c),
    }),
  ),
];

describe.each(databaseKinds())('subscriber lifecycle on %s', (kind) => {
  let db: TestDatabase;
  let suppressions: SuppressionList;
  let lifecycle: SubscriberLifecycle;
  const inTransaction = <T>(work: (trx: Trx) => Promise<T>) => db.database.db.transaction().execute(work);

  /** A subscriber in this status, written directly, as a fixture. */
  async function subscriberIn(status: SubscriberStatus, language = 'fr'): Promise<Someone> {
    const email = `${randomUUID()}@example.org`;
    return db.database.db
      .insertInto('subscribers')
      .values({
        email,
        name: 'Someone',
        language,
        status,
        attributes: '{}',
        email_hash: suppressions.hash(email),
        created_at: '2025-01-01T00:00:00.000Z',
        updated_at: '2025-01-01T00:00:00.000Z',
      })
      .returning(['id', 'email', 'language'])
      .executeTakeFirstOrThrow();
  }

  /** The subscriber's row and consent log as they are now. */
  async function stateOf(id: number) {
    const k = db.database.db;
    const [row, events] = await Promise.all([
      k.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst(),
      k
        .selectFrom('consent_events')
        .select(['event', 'source', 'language', 'campaign_id'])
        .where('subscriber_id', '=', id)
        .orderBy('id')
        .execute(),
    ]);
    return { row, events };
  }

  const suppressionOf = async (email: string) => (await suppressions.reasons([email])).get(email);

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    suppressions = new SuppressionList(db.database.db, 'lifecycle-test-secret');
    lifecycle = new SubscriberLifecycle(suppressions);
  });
  afterAll(() => db.drop());

  for (const t of TRANSITIONS) {
    for (const status of t.tried ?? SUBSCRIBER_STATUSES) {
      const allowed = t.from.includes(status);
      const outcome = allowed ? `makes them ${t.to} with one "${t.event}" event` : 'changes nothing';
      it(`${t.name} from ${status} ${outcome}`, async () => {
        const someone = await subscriberIn(status);
        const before = await stateOf(someone.id);
        await inTransaction((trx) => t.run(lifecycle, trx, someone, t.consent));
        const after = await stateOf(someone.id);
        if (!allowed) {
          expect(after).toEqual(before);
          return;
        }
        expect(after.row).toMatchObject({ ...before.row, status: t.to, updated_at: expect.any(String) });
        expect(after.row!.updated_at).not.toBe(before.row!.updated_at);
        expect(after.events).toEqual([
          {
            event: t.event,
            source: t.consent.source,
            language: t.consent.language ?? someone.language,
            campaign_id: t.consent.campaignId ?? null,
          },
        ]);
      });
    }
  }

  it('a bounce or a complaint suppresses the address whatever the status, and with no subscriber at all', async () => {
    const complained = await subscriberIn('complained');
    await inTransaction((trx) => lifecycle.bounce(trx, complained.email, { source: 'ses' }));
    expect(await suppressionOf(complained.email)).toBe('bounced');
    await inTransaction((trx) => lifecycle.complain(trx, 'nobody@example.org', { source: 'ses' }));
    expect(await suppressionOf('nobody@example.org')).toBe('complained');
  });

  it('logs the campaign a bounce came from', async () => {
    const someone = await subscriberIn('active');
    const campaign = await aCampaign(db);
    await inTransaction((trx) => lifecycle.bounce(trx, someone.email, { source: 'ses', campaignId: campaign }));
    expect((await stateOf(someone.id)).events).toEqual([
      { event: 'bounced', source: 'ses', language: 'fr', campaign_id: campaign },
    ]);
  });

  describe('add', () => {
    it.each(['pending', 'active'] as const)(
      'adds people as %s, each with one event in their language',
      async (status) => {
        const people = ['en', 'es', 'pt-BR'].map((language) => ({
          email: `${randomUUID()}@example.org`,
          name: 'New',
          language,
          attributes: { city: 'El Paso' },
        }));
        const rows = await inTransaction((trx) => lifecycle.add(trx, people, status, { source: 'import' }));
        expect(rows.map((r) => [r.email, r.language, r.status])).toEqual(
          people.map((p) => [p.email, p.language, status]),
        );
        for (const row of rows) {
          const { row: stored, events } = await stateOf(row.id);
          expect(stored?.email_hash).toBe(suppressions.hash(row.email));
          expect(events).toEqual([
            {
              event: status === 'active' ? 'subscribed' : 'subscription_requested',
              source: 'import',
              language: row.language,
              campaign_id: null,
            },
          ]);
        }
      },
    );

    it('fails on an address already there, and the transaction leaves nothing behind', async () => {
      const someone = await subscriberIn('unsubscribed');
      const before = await stateOf(someone.id);
      const fresh = `${randomUUID()}@example.org`;
      const adding = inTransaction((trx) =>
        lifecycle.add(
          trx,
          [fresh, someone.email].map((email) => ({ email, name: '', language: 'en', attributes: {} })),
          'active',
          { source: 'api' },
        ),
      );
      await expect(adding).rejects.toSatisfy(isUniqueViolation);
      expect(await stateOf(someone.id)).toEqual(before);
      const left = await db.database.db.selectFrom('subscribers').select('id').where('email', '=', fresh).execute();
      expect(left).toEqual([]);
    });
  });

  describe('request from the form', () => {
    it('adds a new address as pending with one event in the language of the form', async () => {
      const email = `${randomUUID()}@example.org`;
      const request = await inTransaction((trx) =>
        lifecycle.request(trx, { email, name: 'Ana', language: 'es' }, { source: 'form', language: 'en' }),
      );
      expect(request).toMatchObject({ email, language: 'es', as: 'added' });
      expect(await stateOf(request!.id)).toMatchObject({
        row: { status: 'pending', name: 'Ana', language: 'es' },
        events: [{ event: 'subscription_requested', source: 'form', language: 'en', campaign_id: null }],
      });
    });

    it('answers someone who unsubscribed as they are; rejoining takes the language and name asked for', async () => {
      const someone = await subscriberIn('unsubscribed');
      const request = await inTransaction((trx) =>
        lifecycle.request(trx, { email: someone.email, name: 'Ana', language: 'es' }, { source: 'form' }),
      );
      expect(request).toEqual({ ...someone, as: 'unsubscribed' });
      await inTransaction((trx) =>
        lifecycle.rejoin(trx, someone.id, { name: 'Ana', language: 'es' }, { source: 'form' }),
      );
      expect((await stateOf(someone.id)).row).toMatchObject({ status: 'active', name: 'Ana', language: 'es' });
      // A name left empty keeps theirs
      const other = await subscriberIn('unsubscribed');
      await inTransaction((trx) => lifecycle.rejoin(trx, other.id, { name: '', language: 'es' }, { source: 'form' }));
      expect((await stateOf(other.id)).row).toMatchObject({ status: 'active', name: 'Someone', language: 'es' });
    });

    it('answers a pending subscriber as they are, and refuses a suppressed address', async () => {
      const pending = await subscriberIn('pending');
      const request = await inTransaction((trx) =>
        lifecycle.request(trx, { email: pending.email, name: 'X', language: 'es' }, { source: 'form' }),
      );
      expect(request).toEqual({ ...pending, as: 'pending' });

      const email = `${randomUUID()}@example.org`;
      await suppressions.add(email, 'manual');
      const refused = await inTransaction((trx) =>
        lifecycle.request(trx, { email, name: '', language: 'en' }, { source: 'form' }),
      );
      expect(refused).toBeUndefined();
      expect(await db.database.db.selectFrom('subscribers').select('id').where('email', '=', email).execute()).toEqual(
        [],
      );
    });
  });

  describe('preferences', () => {
    const save = (s: Someone, change: Partial<Parameters<SubscriberLifecycle['changePreferences']>[2]>) =>
      inTransaction((trx) =>
        lifecycle.changePreferences(
          trx,
          s.id,
          { language: s.language, pausedUntil: undefined, topicsChanged: false, ...change },
          { source: 'preferences', language: 'es' },
        ),
      );
    const eventsOf = async (s: Someone) => (await stateOf(s.id)).events.map((e) => e.event);

    it('logs a change of language or topics as preferences_changed, and nothing when nothing changed', async () => {
      const someone = await subscriberIn('active');
      expect(await save(someone, {})).toBe(true);
      expect(await eventsOf(someone)).toEqual([]);
      await save(someone, { language: 'es' });
      expect((await stateOf(someone.id)).row).toMatchObject({ language: 'es', status: 'active' });
      await save({ ...someone, language: 'es' }, { topicsChanged: true });
      expect(await stateOf(someone.id)).toMatchObject({
        events: [
          { event: 'preferences_changed', source: 'preferences', language: 'es', campaign_id: null },
          { event: 'preferences_changed', source: 'preferences', language: 'es', campaign_id: null },
        ],
      });
    });

    it('pauses and resumes, each with its event', async () => {
      const someone = await subscriberIn('pending');
      const until = '2031-02-03T04:05:06.000Z';
      await save(someone, { pausedUntil: until });
      expect(new Date((await stateOf(someone.id)).row!.paused_until!).toISOString()).toBe(until);
      await save(someone, { pausedUntil: null });
      expect((await stateOf(someone.id)).row!.paused_until).toBeNull();
      expect(await eventsOf(someone)).toEqual(['paused', 'resumed']);
    });

    it('subscribes again someone who had unsubscribed, with each kind of change logged', async () => {
      const someone = await subscriberIn('unsubscribed');
      await save(someone, { language: 'es', pausedUntil: '2031-01-01T00:00:00.000Z' });
      expect((await stateOf(someone.id)).row!.status).toBe('active');
      expect(await eventsOf(someone)).toEqual(['preferences_changed', 'paused', 'subscribed']);
    });

    it.each(['bounced', 'complained'] as const)('changes nothing for someone %s', async (status) => {
      const someone = await subscriberIn(status);
      const before = await stateOf(someone.id);
      expect(
        await save(someone, { language: 'es', pausedUntil: '2031-01-01T00:00:00.000Z', topicsChanged: true }),
      ).toBe(false);
      expect(await stateOf(someone.id)).toEqual(before);
    });
  });

  it('staff set or end a pause without a consent event', async () => {
    const someone = await subscriberIn('active');
    await inTransaction((trx) => lifecycle.setPause(trx, someone.id, '2031-01-01T00:00:00.000Z'));
    expect((await stateOf(someone.id)).row!.paused_until).not.toBeNull();
    await inTransaction((trx) => lifecycle.setPause(trx, someone.id, null));
    expect(await stateOf(someone.id)).toMatchObject({ row: { paused_until: null, status: 'active' }, events: [] });
  });

  it('counts soft bounces without a consent event, and a delivery clears them', async () => {
    const someone = await subscriberIn('active');
    expect(await inTransaction((trx) => lifecycle.countSoftBounce(trx, someone.email.toUpperCase()))).toBe(1);
    expect(await inTransaction((trx) => lifecycle.countSoftBounce(trx, someone.email))).toBe(2);
    expect(await inTransaction((trx) => lifecycle.countSoftBounce(trx, 'nobody@example.org'))).toBeUndefined();
    await inTransaction((trx) => lifecycle.clearSoftBounces(trx, [someone.id]));
    expect(await stateOf(someone.id)).toMatchObject({ row: { transient_bounces: 0, status: 'active' }, events: [] });
  });

  it('staff suppression puts the address on the list and logs it, the status unchanged', async () => {
    const someone = await subscriberIn('active');
    await inTransaction((trx) => lifecycle.suppress(trx, someone.email.toUpperCase(), 'manual', { source: 'api' }));
    expect(await suppressionOf(someone.email)).toBe('manual');
    expect(await stateOf(someone.id)).toMatchObject({
      row: { status: 'active' },
      events: [{ event: 'suppressed:manual', source: 'api', language: 'fr', campaign_id: null }],
    });
    await inTransaction((trx) => lifecycle.suppress(trx, 'nobody-else@example.org', 'complained', { source: 'api' }));
    expect(await suppressionOf('nobody-else@example.org')).toBe('complained');
  });

  it('erases a subscriber with their consent log, keeping only the hash on the list', async () => {
    const someone = await subscriberIn('active');
    await inTransaction((trx) => lifecycle.unsubscribe(trx, someone.id, { source: 'link' }));
    expect(await inTransaction((trx) => lifecycle.erase(trx, someone.id))).toBe(true);
    expect(await stateOf(someone.id)).toEqual({ row: undefined, events: [] });
    expect(await suppressionOf(someone.email)).toBe('erased');
    expect(await inTransaction((trx) => lifecycle.erase(trx, someone.id))).toBe(false);
  });

  it('writes only the consent events and sources the audience schemas name', async () => {
    const rows = await db.database.db.selectFrom('consent_events').select(['event', 'source']).execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(ConsentEventKind.safeParse(row.event).success, row.event).toBe(true);
      expect(ConsentSource.safeParse(row.source).success, row.source).toBe(true);
    }
  });
});

/** A campaign for a consent event to name. */
async function aCampaign(db: TestDatabase): Promise<number> {
  const k = db.database.db;
  const now = nowIso();
  const bulletin = await k
    .insertInto('bulletins')
    .values({ title: 'b', current_version: 1, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const version = await k
    .insertInto('bulletin_versions')
    .values({ bulletin_id: bulletin.id, version: 1, document: '{}', created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return insertCampaign(db, { id: bulletin.id, versionId: version.id });
}

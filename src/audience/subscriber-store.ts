// Subscribers with their topics, tags and consent log, as staff, the API and imports see them.
// Changes of status or pause, and the consent events that record them, go through
// SubscriberLifecycle in the same transaction as the rest of the write.
import { sql, type Kysely, type Selectable, type SelectQueryBuilder, type Transaction } from 'kysely';
import { isUniqueViolation } from '../db/errors.js';
import { inParts } from '../db/in-parts.js';
import { insertRows, valueList } from '../db/insert-rows.js';
import { nowIso, parseJson, type SubscribersTable, type SuppressionReason, type Tables } from '../db/schema.js';
import { AppError } from '../errors.js';
import type {
  Attributes,
  ConsentSource,
  Subscriber,
  SubscriberFilter,
  SubscriberInput,
  SubscriberPatch,
  SubscriberWithConsent,
  TagAction,
} from './schemas.js';
import type { StaffSuppressionReason, SubscriberLifecycle } from './subscriber-lifecycle.js';
import type { SuppressionList } from './suppressions.js';

type Db = Kysely<Tables> | Transaction<Tables>;
type Row = Selectable<SubscribersTable>;

/** A subscriber row of a CSV import, already validated, topics resolved to ids. */
export interface ImportRow {
  /** Line of the CSV file the row ended on, for the report. */
  line: number;
  email: string;
  name?: string;
  language?: string;
  topicIds: number[];
  tags: string[];
  attributes: Attributes;
}

export interface MergeResult {
  /** The new subscribers' ids (for their confirmation mails), in no particular order. */
  createdIds: number[];
  merged: number;
  /** Rows not imported because their address is on the suppression list. */
  suppressed: { row: ImportRow; reason: SuppressionReason }[];
}

export type ExportFilter = Omit<SubscriberFilter, 'page' | 'perPage'>;

const DEFAULT_LANGUAGE = 'en';
const EXPORT_PAGE = 1000;

export class SubscriberStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly suppressions: SuppressionList,
    private readonly lifecycle: SubscriberLifecycle,
  ) {}

  async create(input: Omit<SubscriberInput, 'sendConfirmation'>, source: ConsentSource): Promise<Subscriber> {
    return this.db.transaction().execute(async (trx) => {
      await this.refuseSuppressed(trx, input.email);
      const topicIds = await topicIdsFor(trx, input.topics);
      const [row] = await insertOrConflict(this.lifecycle.add(trx, [input], input.status, { source }), input.email);
      await replaceTags(trx, row!.id, input.tags);
      await replaceTopics(trx, row!.id, topicIds, nowIso());
      return (await hydrate(trx, [row!]))[0]!;
    });
  }

  /** One subscriber with their consent history, oldest first. */
  async get(id: number): Promise<SubscriberWithConsent> {
    const row = await this.db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(id);
    const events = await this.db
      .selectFrom('consent_events')
      .select(['event', 'source', 'language', 'campaign_id', 'created_at'])
      .where('subscriber_id', '=', id)
      .orderBy('id')
      .execute();
    return {
      ...(await hydrate(this.db, [row]))[0]!,
      consent: events.map((e) => ({
        event: e.event,
        source: e.source,
        language: e.language,
        campaignId: e.campaign_id,
        at: e.created_at,
      })),
    };
  }

  async list(filter: SubscriberFilter): Promise<{ data: Subscriber[]; total: number }> {
    const base = applyFilter(this.db.selectFrom('subscribers'), filter);
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await base
      .selectAll()
      .orderBy('id')
      .limit(filter.perPage)
      .offset((filter.page - 1) * filter.perPage)
      .execute();
    return { data: await hydrate(this.db, rows), total: Number(total) };
  }

  async update(id: number, patch: SubscriberPatch, source: ConsentSource): Promise<Subscriber> {
    return this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
      if (!current) throw notFound(id);
      if (patch.email && patch.email !== current.email) await this.refuseSuppressed(trx, patch.email);
      const topicIds = patch.topics ? await topicIdsFor(trx, patch.topics) : undefined;
      const now = nowIso();
      await insertOrConflict(
        trx
          .updateTable('subscribers')
          .set({
            ...(patch.email !== undefined
              ? { email: patch.email, email_hash: this.suppressions.hash(patch.email) }
              : {}),
            ...(patch.name !== undefined ? { name: patch.name } : {}),
            ...(patch.language !== undefined ? { language: patch.language } : {}),
            ...(patch.attributes !== undefined ? { attributes: JSON.stringify(patch.attributes) } : {}),
            updated_at: now,
          })
          .where('id', '=', id)
          .execute(),
        patch.email ?? current.email,
      );
      if (patch.pausedUntil !== undefined)
        await this.lifecycle.setPause(trx, id, patch.pausedUntil && new Date(patch.pausedUntil).toISOString());
      // After the language, so the event carries the language the subscriber has now.
      if (patch.status !== undefined) await this.lifecycle.setStatus(trx, id, patch.status, { source });
      if (patch.tags) await replaceTags(trx, id, patch.tags);
      if (topicIds) await replaceTopics(trx, id, topicIds, now);
      const row = await trx.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return (await hydrate(trx, [row]))[0]!;
    });
  }

  /**
   * Erases a subscriber: the row, tags, subscriptions and consent log go; a keyed hash of the
   * address stays on the suppression list so the person is never silently re-imported.
   */
  async erase(id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.lifecycle.erase(trx, id))) throw notFound(id);
    });
  }

  /**
   * Merges one batch of import rows in one transaction: new addresses are created with `status`;
   * known ones keep their status (an import never re-subscribes anyone) and gain the row's
   * name, language, topics, tags and attributes; suppressed addresses are left out. Rows must
   * have distinct emails. Each table's rows, however many, go in one statement of one bound value
   * (src/db/insert-rows.ts), and so do the addresses looked up.
   */
  async mergeBatch(batch: readonly ImportRow[], status: 'active' | 'pending'): Promise<MergeResult> {
    if (batch.length === 0) return { createdIds: [], merged: 0, suppressed: [] };
    return this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      // Each address is hashed once: the hash finds it on the suppression list and is stored with it.
      const hashes = new Map(batch.map((r) => [r.email, this.suppressions.hash(r.email)]));
      const reasons = await this.suppressions.reasonsOfHashes(hashes, trx);
      const suppressed = batch
        .filter((r) => reasons.has(r.email))
        .map((row) => ({ row, reason: reasons.get(row.email)! }));
      const rows = batch.filter((r) => !reasons.has(r.email));
      if (rows.length === 0) return { createdIds: [], merged: 0, suppressed };
      const existing = await trx
        .selectFrom('subscribers')
        .selectAll()
        .where(
          'email',
          'in',
          valueList(
            trx,
            rows.map((r) => r.email),
          ),
        )
        .execute();
      const byEmail = new Map(existing.map((row) => [row.email, row]));
      const fresh = rows.filter((r) => !byEmail.has(r.email));

      const created = await this.lifecycle.add(
        trx,
        fresh.map((r) => ({
          email: r.email,
          name: r.name ?? '',
          language: r.language ?? DEFAULT_LANGUAGE,
          attributes: r.attributes,
          emailHash: hashes.get(r.email)!,
        })),
        status,
        { source: 'import' },
      );

      for (const r of rows) {
        const old = byEmail.get(r.email);
        if (!old) continue;
        await trx
          .updateTable('subscribers')
          .set({
            name: r.name || old.name,
            language: r.language ?? old.language,
            attributes: JSON.stringify({ ...parseJson<Attributes>(old.attributes), ...r.attributes }),
            updated_at: now,
          })
          .where('id', '=', old.id)
          .execute();
      }

      const ids = new Map<string, number>([...existing, ...created].map((row) => [row.email, row.id]));
      const tags = rows.flatMap((r) => r.tags.map((tag) => ({ subscriber_id: ids.get(r.email)!, tag })));
      const subscriptions = rows.flatMap((r) =>
        r.topicIds.map((topic_id) => ({ subscriber_id: ids.get(r.email)!, topic_id, created_at: now })),
      );
      await insertRows(trx, 'subscriber_tags', { subscriber_id: 'integer', tag: 'text' }, tags, {
        ignoreConflicts: true,
      });
      await insertRows(
        trx,
        'subscriptions',
        { subscriber_id: 'integer', topic_id: 'integer', created_at: 'timestamp' },
        subscriptions,
        { ignoreConflicts: true },
      );
      return { createdIds: created.map((row) => row.id), merged: existing.length, suppressed };
    });
  }

  /**
   * Adds `tag` to, or removes it from, the subscribers with these addresses, in one transaction.
   * The addresses must be distinct, as Email stores them, and a few thousand at most (they go in one
   * IN list). An address on the suppression list is not found, whoever holds it, as an import
   * leaves it out; no subscriber is ever created.
   */
  async tagBatch(
    emails: readonly string[],
    tag: string,
    action: TagAction,
  ): Promise<{ changed: number; unchanged: number; notFound: number }> {
    if (emails.length === 0) return { changed: 0, unchanged: 0, notFound: 0 };
    return this.db.transaction().execute(async (trx) => {
      const reasons = await this.suppressions.reasons(emails, trx);
      const findable = emails.filter((email) => !reasons.has(email));
      const ids = findable.length
        ? (await trx.selectFrom('subscribers').select('id').where('email', 'in', findable).execute()).map((r) => r.id)
        : [];
      const notFound = emails.length - ids.length;
      if (ids.length === 0) return { changed: 0, unchanged: 0, notFound };
      let changed: number;
      if (action === 'add') {
        const had = await trx
          .selectFrom('subscriber_tags')
          .select('subscriber_id')
          .where('tag', '=', tag)
          .where('subscriber_id', 'in', ids)
          .execute();
        const has = new Set(had.map((r) => r.subscriber_id));
        const gaining = ids.filter((id) => !has.has(id)).map((subscriber_id) => ({ subscriber_id, tag }));
        for (const part of inParts(gaining, 2)) {
          // A request tagging the same people at the same moment has written some rows already.
          await trx
            .insertInto('subscriber_tags')
            .values(part)
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
        changed = gaining.length;
      } else {
        const removed = await trx
          .deleteFrom('subscriber_tags')
          .where('tag', '=', tag)
          .where('subscriber_id', 'in', ids)
          .executeTakeFirst();
        changed = Number(removed.numDeletedRows);
      }
      return { changed, unchanged: ids.length - changed, notFound };
    });
  }

  /** Every matching subscriber, a page at a time in id order, so an export never holds the list. */
  async *exportAll(filter: ExportFilter): AsyncGenerator<Subscriber> {
    let after = 0;
    for (;;) {
      const rows = await applyFilter(this.db.selectFrom('subscribers'), filter)
        .selectAll()
        .where('id', '>', after)
        .orderBy('id')
        .limit(EXPORT_PAGE)
        .execute();
      if (rows.length === 0) return;
      yield* await hydrate(this.db, rows);
      after = rows[rows.length - 1]!.id;
    }
  }

  /**
   * Staff put an address on the suppression list; a subscriber with that address keeps their
   * status and has it in their consent history.
   */
  async suppress(email: string, reason: StaffSuppressionReason): Promise<void> {
    await this.db.transaction().execute((trx) => this.lifecycle.suppress(trx, email, reason, { source: 'api' }));
  }

  /**
   * Gives rows written before subscribers kept their email hash (migration 0003) their hash.
   * Runs at start; once every row has one, it is one scan of the table (the hash has no index
   * since migration 0009: nothing else looks a subscriber up by it).
   */
  async backfillEmailHashes(): Promise<number> {
    let done = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('subscribers')
        .select(['id', 'email'])
        .where('email_hash', 'is', null)
        .limit(1000)
        .execute();
      if (rows.length === 0) return done;
      await this.db.transaction().execute(async (trx) => {
        for (const row of rows) {
          await trx
            .updateTable('subscribers')
            .set({ email_hash: this.suppressions.hash(row.email) })
            .where('id', '=', row.id)
            .execute();
        }
      });
      done += rows.length;
    }
  }

  /** Topic ids by key, for an import to resolve its rows' topics once. */
  async topicIds(): Promise<Map<string, number>> {
    const rows = await this.db.selectFrom('topics').select(['id', 'key']).execute();
    return new Map(rows.map((row) => [row.key, row.id]));
  }

  private async refuseSuppressed(trx: Db, email: string): Promise<void> {
    const reason = (await this.suppressions.reasons([email], trx)).get(email);
    if (reason)
      throw new AppError('suppressed', `This address is on the suppression list (${reason}) and cannot be added`);
  }
}

function notFound(id: number): AppError {
  return new AppError('not_found', `No subscriber with id ${id}`);
}

async function insertOrConflict<T>(write: Promise<T>, email: string): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', `A subscriber with email ${email} already exists`);
    throw err;
  }
}

async function topicIdsFor(trx: Db, keys: readonly string[]): Promise<number[]> {
  if (keys.length === 0) return [];
  const rows = await trx.selectFrom('topics').select(['id', 'key']).where('key', 'in', keys).execute();
  const ids = new Map(rows.map((row) => [row.key, row.id]));
  const unknown = keys.map((key, i) => ({ key, i })).filter(({ key }) => !ids.has(key));
  if (unknown.length) {
    throw AppError.invalid(
      unknown.map(({ key, i }) => ({ path: `topics[${i}]`, message: `no topic with key "${key}"` })),
    );
  }
  return [...new Set(keys.map((key) => ids.get(key)!))];
}

async function replaceTags(trx: Db, id: number, tags: readonly string[]): Promise<void> {
  await trx.deleteFrom('subscriber_tags').where('subscriber_id', '=', id).execute();
  const unique = [...new Set(tags)];
  if (unique.length)
    await trx
      .insertInto('subscriber_tags')
      .values(unique.map((tag) => ({ subscriber_id: id, tag })))
      .execute();
}

async function replaceTopics(trx: Db, id: number, topicIds: readonly number[], at: string): Promise<void> {
  await trx.deleteFrom('subscriptions').where('subscriber_id', '=', id).execute();
  if (topicIds.length) {
    await trx
      .insertInto('subscriptions')
      .values(topicIds.map((topic_id) => ({ subscriber_id: id, topic_id, created_at: at })))
      .execute();
  }
}

function applyFilter<O>(
  query: SelectQueryBuilder<Tables, 'subscribers', O>,
  filter: ExportFilter,
): SelectQueryBuilder<Tables, 'subscribers', O> {
  let q = query;
  if (filter.email) q = q.where(sql<boolean>`email like ${`%${escapeLike(filter.email.toLowerCase())}%`} escape '\\'`);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.language) q = q.where('language', '=', filter.language);
  if (filter.tag) {
    const tag = filter.tag;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('subscriber_tags')
          .select(sql`1`.as('one'))
          .whereRef('subscriber_tags.subscriber_id', '=', 'subscribers.id')
          .where('subscriber_tags.tag', '=', tag),
      ),
    );
  }
  if (filter.topic) {
    const topic = filter.topic;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('subscriptions')
          .innerJoin('topics', 'topics.id', 'subscriptions.topic_id')
          .select(sql`1`.as('one'))
          .whereRef('subscriptions.subscriber_id', '=', 'subscribers.id')
          .where('topics.key', '=', topic),
      ),
    );
  }
  return q;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Adds topics and tags to a page of rows: two queries for the page, not two per row. */
async function hydrate(db: Db, rows: readonly Row[]): Promise<Subscriber[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [tags, topics] = await Promise.all([
    db
      .selectFrom('subscriber_tags')
      .select(['subscriber_id', 'tag'])
      .where('subscriber_id', 'in', ids)
      .orderBy('tag')
      .execute(),
    db
      .selectFrom('subscriptions')
      .innerJoin('topics', 'topics.id', 'subscriptions.topic_id')
      .select(['subscriptions.subscriber_id', 'topics.key'])
      .where('subscriptions.subscriber_id', 'in', ids)
      .orderBy('topics.key')
      .execute(),
  ]);
  const group = (pairs: { subscriber_id: number; value: string }[]) => {
    const out = new Map<number, string[]>();
    for (const { subscriber_id, value } of pairs) out.set(subscriber_id, [...(out.get(subscriber_id) ?? []), value]);
    return out;
  };
  const tagsOf = group(tags.map((t) => ({ subscriber_id: t.subscriber_id, value: t.tag })));
  const topicsOf = group(topics.map((t) => ({ subscriber_id: t.subscriber_id, value: t.key })));
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    name: row.name,
    language: row.language,
    status: row.status,
    topics: topicsOf.get(row.id) ?? [],
    tags: tagsOf.get(row.id) ?? [],
    attributes: parseJson<Attributes>(row.attributes),
    pausedUntil: row.paused_until,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

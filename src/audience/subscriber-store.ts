// Subscribers with their topics, tags and consent log, as staff, the API and imports see them.
// Changes of status or pause, and the consent events that record them, go through
// SubscriberLifecycle in the same transaction as the rest of the write.
import { sql, type Kysely, type RawBuilder, type Selectable, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { DatabaseKind } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { inParts } from '../db/in-parts.js';
import { insertRows, valueList } from '../db/insert-rows.js';
import { nowIso, parseJson, type SubscribersTable, type SuppressionReason, type Tables } from '../db/schema.js';
import { AppError } from '../errors.js';
import { encodeCursor, type PageCursor } from './page-cursor.js';
import {
  TOTAL_CAP,
  type Attributes,
  type ConsentSource,
  type Subscriber,
  type SubscriberFilter,
  type SubscriberInput,
  type SubscriberPage,
  type SubscriberPatch,
  type SubscriberQuery,
  type SubscriberWithConsent,
  type TagAction,
} from './schemas.js';
import type { StaffSuppressionReason, SubscriberLifecycle } from './subscriber-lifecycle.js';
import type { SuppressionList } from './suppressions.js';

type Db = Kysely<Tables> | Transaction<Tables>;
type Row = Selectable<SubscribersTable>;
/** SQLite's trigram index of the addresses (migration 0027), joined only by `matching`. */
type SearchTables = Tables & { subscribers_email_search: { rowid: number; email: string } };

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

/** The subscribers a query selects, and what their pages are ordered and started by: their id. */
interface Matching {
  query: SelectQueryBuilder<Tables, 'subscribers', object>;
  /** `subscribers.id`, or the trigram index's rowid (the same id) when that index leads the query. */
  key: RawBuilder<number>;
}

const DEFAULT_LANGUAGE = 'en';
const EXPORT_PAGE = 1000;
/** Fragments shorter than a trigram find the addresses that start with them (the address index serves). */
const SHORTEST_CONTAINS = 3;

export class SubscriberStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly suppressions: SuppressionList,
    private readonly lifecycle: SubscriberLifecycle,
    private readonly kind: DatabaseKind,
  ) {}

  async create(input: Omit<SubscriberInput, 'sendConfirmation'>, source: ConsentSource): Promise<Subscriber> {
    return this.db.transaction().execute(async (trx) => {
      await this.refuseSuppressed(trx, input.email);
      const topicIds = await topicIdsFor(trx, input.topics);
      const [added] = await insertOrConflict(this.lifecycle.add(trx, [input], input.status, { source }), input.email);
      const id = added!.id;
      await replaceTags(trx, id, input.tags);
      await replaceTopics(trx, id, topicIds, nowIso());
      const row = await trx.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return (await hydrate(trx, [row]))[0]!;
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

  /**
   * A page of the subscribers that match, in id order, from where `cursor` says: each page is read
   * from the id index (keyset), so a deep page costs what the first does; the count stops at TOTAL_CAP.
   */
  async list(filter: SubscriberFilter): Promise<SubscriberPage> {
    const matching = this.matching(filter);
    const page = await pageOf(matching, filter.cursor, filter.perPage);
    // A first page that is also the last holds every match: no need to count them again.
    const counted =
      page.previous === null && page.next === null ? page.rows.length : await cappedCount(this.db, matching);
    return {
      data: await hydrate(this.db, page.rows),
      perPage: filter.perPage,
      next: page.next,
      previous: page.previous,
      total: Math.min(counted, TOTAL_CAP),
      totalCapped: counted > TOTAL_CAP,
    };
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
      // The subscribers this batch created hold no tag or topic rows, so theirs go in without
      // the conflict check that costs PostgreSQL a probe a row; a known subscriber's may exist.
      for (const known of [false, true]) {
        const part = rows.filter((r) => byEmail.has(r.email) === known);
        const tags = part.flatMap((r) =>
          [...new Set(r.tags)].map((tag) => ({ subscriber_id: ids.get(r.email)!, tag })),
        );
        const subscriptions = part.flatMap((r) =>
          [...new Set(r.topicIds)].map((topic_id) => ({ subscriber_id: ids.get(r.email)!, topic_id, created_at: now })),
        );
        await insertRows(trx, 'subscriber_tags', { subscriber_id: 'integer', tag: 'text' }, tags, {
          ignoreConflicts: known,
        });
        await insertRows(
          trx,
          'subscriptions',
          { subscriber_id: 'integer', topic_id: 'integer', created_at: 'timestamp' },
          subscriptions,
          { ignoreConflicts: known },
        );
      }
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
  async *exportAll(filter: SubscriberQuery): AsyncGenerator<Subscriber> {
    const { query, key } = this.matching(filter);
    let after = 0;
    for (;;) {
      const rows = await query
        .selectAll('subscribers')
        .where(key, '>', after)
        .orderBy(key)
        .limit(EXPORT_PAGE)
        .execute();
      if (rows.length === 0) return;
      yield* await hydrate(this.db, rows);
      after = rows[rows.length - 1]!.id;
    }
  }

  /**
   * The subscribers a query selects. Part of an address is found through a trigram index on either
   * database; on SQLite that index is a table of its own, joined here, whose rowid leads the query
   * (it reads its matches in rowid order, so a page stops after its rows whatever the list holds).
   */
  private matching(filter: SubscriberQuery): Matching {
    const fragment = filter.email?.toLowerCase();
    if (this.kind === 'sqlite' && fragment !== undefined && [...fragment].length >= SHORTEST_CONTAINS) {
      const query = (this.db as unknown as Kysely<SearchTables>)
        .selectFrom('subscribers')
        .innerJoin('subscribers_email_search as search', 'search.rowid', 'subscribers.id')
        .where(sql<boolean>`search.subscribers_email_search match ${trigramQuery(fragment)}`);
      // The join adds no column a caller selects (they select `subscribers`' own): one builder serves both.
      return {
        query: applyFilter(
          query as unknown as SelectQueryBuilder<Tables, 'subscribers', object>,
          filter,
          fragment,
          'sqlite',
        ),
        key: sql.ref<number>('search.rowid'),
      };
    }
    return {
      query: applyFilter(this.db.selectFrom('subscribers'), filter, fragment, this.kind),
      key: sql.ref<number>('subscribers.id'),
    };
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

/** `fragment`: the address filter, lower-cased. */
function applyFilter<O>(
  query: SelectQueryBuilder<Tables, 'subscribers', O>,
  filter: SubscriberQuery,
  fragment: string | undefined,
  kind: DatabaseKind,
): SelectQueryBuilder<Tables, 'subscribers', O> {
  let q = query;
  if (fragment !== undefined) q = q.where(addressCondition(fragment, kind));
  if (filter.status) q = q.where('subscribers.status', '=', filter.status);
  if (filter.language) q = q.where('subscribers.language', '=', filter.language);
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

/**
 * The address contains `fragment` (lower-cased, as addresses are stored), or for one or two
 * characters starts with it: a trigram index cannot find fewer than three, and a prefix is what
 * the unique address index (SQLite) or the trigram index's word starts (PostgreSQL) serve.
 * PostgreSQL's LIKE escapes with a backslash by default; SQLite needs to be told.
 */
function addressCondition(fragment: string, kind: DatabaseKind): RawBuilder<boolean> {
  const escaped = escapeLike(fragment);
  if ([...fragment].length >= SHORTEST_CONTAINS) return sql`subscribers.email like ${`%${escaped}%`} escape '\\'`;
  const prefix = sql<boolean>`subscribers.email like ${`${escaped}%`} escape '\\'`;
  if (kind === 'postgres') return prefix;
  // SQLite's LIKE ignores case, so its address index cannot serve it: this range of that index can.
  return sql`${prefix} and subscribers.email >= ${fragment} and subscribers.email < ${`${fragment}\u{10FFFF}`}`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * An FTS5 query for rows holding every trigram of `fragment` that together cover it (detail=none
 * keeps no positions, so no phrase): a superset of the addresses containing it, which the LIKE
 * of `addressCondition` then narrows.
 */
function trigramQuery(fragment: string): string {
  const chars = [...fragment];
  const starts = new Set<number>();
  for (let at = 0; at + SHORTEST_CONTAINS <= chars.length; at += SHORTEST_CONTAINS) starts.add(at);
  starts.add(chars.length - SHORTEST_CONTAINS);
  return [...starts]
    .map(
      (at) =>
        `"${chars
          .slice(at, at + SHORTEST_CONTAINS)
          .join('')
          .replaceAll('"', '""')}"`,
    )
    .join(' AND ');
}

/** How many match, up to one more than TOTAL_CAP: past it, a count would read every match. */
async function cappedCount(db: Kysely<Tables>, { query }: Matching): Promise<number> {
  const { counted } = await db
    .selectFrom(
      query
        .select(sql`1`.as('one'))
        .limit(TOTAL_CAP + 1)
        .as('capped'),
    )
    .select((eb) => eb.fn.countAll<number>().as('counted'))
    .executeTakeFirstOrThrow();
  return Number(counted);
}

/** One page from `cursor`: a row more than shown says whether a page follows. */
async function pageOf(
  { query, key }: Matching,
  cursor: PageCursor | undefined,
  perPage: number,
): Promise<{ rows: Row[]; next: string | null; previous: string | null }> {
  const rows = query.selectAll('subscribers').limit(perPage + 1);
  if (cursor && 'before' in cursor) {
    const before = await rows.where(key, '<', cursor.before).orderBy(key, 'desc').execute();
    // At the start of the list, the page before is the first page, full, whatever was added or removed.
    if (before.length <= perPage) return pageOf({ query, key }, undefined, perPage);
    const shown = before.slice(0, perPage).reverse();
    return {
      rows: shown,
      next: encodeCursor({ after: shown[shown.length - 1]!.id }),
      previous: encodeCursor({ before: shown[0]!.id }),
    };
  }
  const after = cursor?.after ?? 0;
  const found = await rows.where(key, '>', after).orderBy(key).execute();
  const shown = found.slice(0, perPage);
  return {
    rows: shown,
    next: found.length > perPage ? encodeCursor({ after: shown[shown.length - 1]!.id }) : null,
    previous: cursor ? encodeCursor({ before: shown[0]?.id ?? after + 1 }) : null,
  };
}

/** Adds topics and tags to a page of rows: two queries for the page, not two per row. */
async function hydrate(db: Db, rows: readonly Row[]): Promise<Subscriber[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  // Pages come in id order. Ids close together (an export's page, the unfiltered list) are read as
  // one range of the index (an export of a million took a third less CPU than with IN lists
  // of a thousand ids); scattered ones (a filter that selects few) are looked up one by one.
  const from = Math.min(...ids);
  const to = Math.max(...ids);
  const dense = to - from < 2 * ids.length;
  const [tags, topics] = await Promise.all([
    db
      .selectFrom('subscriber_tags')
      .select(['subscriber_id', 'tag'])
      .$if(dense, (q) => q.where('subscriber_id', '>=', from).where('subscriber_id', '<=', to))
      .$if(!dense, (q) => q.where('subscriber_id', 'in', ids))
      .orderBy('tag')
      .execute(),
    db
      .selectFrom('subscriptions')
      .innerJoin('topics', 'topics.id', 'subscriptions.topic_id')
      .select(['subscriptions.subscriber_id', 'topics.key'])
      .$if(dense, (q) =>
        q.where('subscriptions.subscriber_id', '>=', from).where('subscriptions.subscriber_id', '<=', to),
      )
      .$if(!dense, (q) => q.where('subscriptions.subscriber_id', 'in', ids))
      .orderBy('topics.key')
      .execute(),
  ]);
  const group = (pairs: { subscriber_id: number; value: string }[]) => {
    const out = new Map<number, string[]>();
    for (const { subscriber_id, value } of pairs) {
      const values = out.get(subscriber_id);
      if (values) values.push(value);
      else out.set(subscriber_id, [value]);
    }
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

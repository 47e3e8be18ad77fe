// The suppression list: addresses that must never be mailed or silently re-imported. Only a
// keyed hash of each address is kept, so an erased person's address is not stored anywhere.
import { createHmac } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { valueList } from '../db/insert-rows.js';
import { nowIso, type SuppressionReason, type SuppressionsTable, type Tables } from '../db/schema.js';
import { AppError } from '../errors.js';
import { storedEmail, type Suppression, type SuppressionPage } from './schemas.js';

function toSuppression(row: Selectable<SuppressionsTable>): Suppression {
  return { hash: row.email_hash, reason: row.reason, createdAt: row.created_at };
}

type Db = Kysely<Tables> | Transaction<Tables>;

export class SuppressionList {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly secret: string,
  ) {}

  hash(email: string): string {
    return createHmac('sha256', this.secret)
      .update(`suppression:${storedEmail(email)}`)
      .digest('hex');
  }

  /** Adds an address (a no-op when it is there already); `trx` joins a caller's transaction. */
  async add(email: string, reason: SuppressionReason, trx: Db = this.db): Promise<void> {
    await trx
      .insertInto('suppressions')
      .values({ email_hash: this.hash(email), reason, created_at: nowIso() })
      .onConflict((oc) => oc.column('email_hash').doNothing())
      .execute();
  }

  async list(filter: { email?: string | undefined; page: number; perPage: number }): Promise<SuppressionPage> {
    const all = this.db.selectFrom('suppressions');
    const base = filter.email ? all.where('email_hash', '=', this.hash(filter.email)) : all;
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('email_hash')
      .limit(filter.perPage)
      .offset((filter.page - 1) * filter.perPage)
      .execute();
    return { data: rows.map(toSuppression), total: Number(total) };
  }

  async get(email: string): Promise<Suppression> {
    const row = await this.db
      .selectFrom('suppressions')
      .selectAll()
      .where('email_hash', '=', this.hash(email))
      .executeTakeFirstOrThrow();
    return toSuppression(row);
  }

  /** Takes an address off the list; the person can then be added or imported again. */
  async remove(hash: string): Promise<void> {
    const result = await this.db.deleteFrom('suppressions').where('email_hash', '=', hash).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw new AppError('not_found', 'No suppression with that hash');
  }

  /** The reason each of these addresses is suppressed, for those that are. */
  async reasons(emails: readonly string[], trx: Db = this.db): Promise<Map<string, SuppressionReason>> {
    return this.reasonsOfHashes(new Map(emails.map((email) => [email, this.hash(email)])), trx);
  }

  /** The same for addresses whose hashes the caller has already made (address → hash). */
  async reasonsOfHashes(
    hashes: ReadonlyMap<string, string>,
    trx: Db = this.db,
  ): Promise<Map<string, SuppressionReason>> {
    if (hashes.size === 0) return new Map();
    const byHash = new Map([...hashes].map(([email, hash]) => [hash, email]));
    const rows = await trx
      .selectFrom('suppressions')
      .select(['email_hash', 'reason'])
      .where('email_hash', 'in', valueList(trx, [...byHash.keys()]))
      .execute();
    return new Map(rows.map((row) => [byHash.get(row.email_hash)!, row.reason]));
  }
}

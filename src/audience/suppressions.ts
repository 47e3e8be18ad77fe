// The suppression list: addresses that must never be mailed or silently re-imported. Only a
// keyed hash of each address is kept, so an erased person's address is not stored anywhere.
import { createHmac } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { nowIso, type SuppressionReason, type Tables } from '../db/schema.js';

export class SuppressionList {
  constructor(private readonly secret: string) {}

  hash(email: string): string {
    return createHmac('sha256', this.secret).update(`suppression:${email.trim().toLowerCase()}`).digest('hex');
  }

  async add(db: Kysely<Tables> | Transaction<Tables>, email: string, reason: SuppressionReason): Promise<void> {
    await db
      .insertInto('suppressions')
      .values({ email_hash: this.hash(email), reason, created_at: nowIso() })
      .onConflict((oc) => oc.column('email_hash').doNothing())
      .execute();
  }

  /** The reason each of these addresses is suppressed, for those that are. */
  async reasons(db: Kysely<Tables> | Transaction<Tables>, emails: readonly string[]): Promise<Map<string, SuppressionReason>> {
    if (emails.length === 0) return new Map();
    const byHash = new Map(emails.map((email) => [this.hash(email), email]));
    const rows = await db
      .selectFrom('suppressions')
      .select(['email_hash', 'reason'])
      .where('email_hash', 'in', [...byHash.keys()])
      .execute();
    return new Map(rows.map((row) => [byHash.get(row.email_hash)!, row.reason]));
  }
}

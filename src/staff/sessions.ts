// Browser sessions of staff. The cookie holds a random token; the database holds only its
// SHA-256, so a copy of the database opens no session. A session ends after 12 hours unused or 7
// days after sign-in, whichever comes first. The CSRF token is derived from the session token, so
// it needs no storage and dies with the session.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Tables } from '../db/schema.js';
import type { StaffStore, StaffUser } from './staff-store.js';

/** A session unused this long ends. */
export const SESSION_IDLE_MS = 12 * 3600_000;
/** A session ends this long after sign-in, however busy. */
export const SESSION_LIFETIME_MS = 7 * 24 * 3600_000;
/** last_seen_at is written at most this often, so requests do not each cost a write. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export class SessionStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly staff: StaffStore,
    private readonly appSecret: string,
  ) {}

  /** Starts a session and returns its token, for the cookie only. */
  async create(staffId: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    await this.deleteEnded(now);
    await this.db
      .insertInto('staff_sessions')
      .values({
        id_hash: hashToken(token),
        staff_id: staffId,
        created_at: iso(now),
        last_seen_at: iso(now),
        expires_at: iso(now + SESSION_LIFETIME_MS),
      })
      .execute();
    return token;
  }

  /** The staff member a live session belongs to, as they are now (a changed role counts at once). */
  async verify(token: string): Promise<StaffUser | null> {
    const idHash = hashToken(token);
    const row = await this.db.selectFrom('staff_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    if (!row) return null;
    const now = Date.now();
    const lastSeen = Date.parse(row.last_seen_at);
    if (now >= Date.parse(row.expires_at) || now - lastSeen >= SESSION_IDLE_MS) {
      await this.db.deleteFrom('staff_sessions').where('id_hash', '=', idHash).execute();
      return null;
    }
    if (now - lastSeen >= LAST_SEEN_RESOLUTION_MS) {
      await this.db
        .updateTable('staff_sessions')
        .set({ last_seen_at: iso(now) })
        .where('id_hash', '=', idHash)
        .execute();
    }
    return (await this.staff.findUser(row.staff_id)) ?? null;
  }

  async delete(token: string): Promise<void> {
    await this.db.deleteFrom('staff_sessions').where('id_hash', '=', hashToken(token)).execute();
  }

  /**
   * Ends every session of a staff member, but for the one given (the person's own, after they
   * change their password).
   */
  async deleteForStaff(staffId: number, exceptToken?: string): Promise<void> {
    let query = this.db.deleteFrom('staff_sessions').where('staff_id', '=', staffId);
    if (exceptToken !== undefined) query = query.where('id_hash', '!=', hashToken(exceptToken));
    await query.execute();
  }

  /** The token a cookie client sends back in X-CSRF-Token for every change. */
  csrfToken(sessionToken: string): string {
    return createHmac('sha256', this.appSecret).update(`csrf:${sessionToken}`).digest('base64url');
  }

  csrfMatches(sessionToken: string, given: string | undefined): boolean {
    if (!given) return false;
    const expected = Buffer.from(this.csrfToken(sessionToken));
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** Sessions that ended without a sign-out go when the next one starts. */
  private async deleteEnded(now: number): Promise<void> {
    await this.db
      .deleteFrom('staff_sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', iso(now)), eb('last_seen_at', '<=', iso(now - SESSION_IDLE_MS))]))
      .execute();
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

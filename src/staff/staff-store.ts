// Staff accounts and API tokens.
import type { Kysely } from 'kysely';
import { nowIso, type StaffRole, type Tables } from '../db/schema.js';
import { generateToken, hashSecret, parseToken, secretMatches } from './api-tokens.js';
import { hashPassword } from './passwords.js';

export interface StaffUser {
  id: number;
  email: string;
  role: StaffRole;
  createdAt: string;
}

export interface TokenOwner {
  tokenId: number;
  name: string;
  role: StaffRole;
}

/** last_used_at is written at most this often, so reads do not each cost a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

export class StaffStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async createUser(input: { email: string; password: string; role: StaffRole }): Promise<StaffUser> {
    const row = await this.db
      .insertInto('staff_users')
      .values({
        email: input.email.trim().toLowerCase(),
        password_hash: await hashPassword(input.password),
        role: input.role,
        created_at: nowIso(),
      })
      .returning(['id', 'email', 'role', 'created_at'])
      .executeTakeFirstOrThrow();
    return { id: row.id, email: row.email, role: row.role, createdAt: row.created_at };
  }

  async countUsers(): Promise<number> {
    const row = await this.db.selectFrom('staff_users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Returns the token itself, which is shown once and never stored. */
  async createToken(input: { name: string; role: StaffRole }): Promise<{ id: number; token: string }> {
    const { token, lookup, secret } = generateToken();
    const row = await this.db
      .insertInto('api_tokens')
      .values({ lookup, secret_hash: hashSecret(secret), name: input.name, role: input.role, created_at: nowIso() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, token };
  }

  async verifyToken(token: string): Promise<TokenOwner | null> {
    const parts = parseToken(token);
    if (!parts) return null;
    const row = await this.db.selectFrom('api_tokens').selectAll().where('lookup', '=', parts.lookup).executeTakeFirst();
    if (!row || !secretMatches(parts.secret, row.secret_hash)) return null;
    const now = Date.now();
    if (!row.last_used_at || now - Date.parse(row.last_used_at) > LAST_USED_RESOLUTION_MS) {
      await this.db.updateTable('api_tokens').set({ last_used_at: new Date(now).toISOString() }).where('id', '=', row.id).execute();
    }
    return { tokenId: row.id, name: row.name, role: row.role };
  }
}

// Staff accounts and API tokens.
import type { Kysely, Selectable, Transaction } from 'kysely';
import { isUniqueViolation } from '../db/errors.js';
import { nowIso, parseJson, type StaffRole, type StaffUsersTable, type Tables } from '../db/schema.js';
import { AppError } from '../errors.js';
import { generateToken, hashSecret, parseToken, secretMatches } from './api-tokens.js';
import { hashPassword } from './passwords.js';
import type { StaffPatch, TokenInfo } from './schemas.js';

export interface StaffUser {
  id: number;
  email: string;
  role: StaffRole;
  createdAt: string;
  /** Where this person's test copies go. */
  testAddresses: string[];
  lastSignInAt: string | null;
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
    return this.insertUser(this.db, input, await hashPassword(input.password));
  }

  /** The first admin, made from the first-run setup: refused once any admin exists. */
  async createFirstAdmin(input: { email: string; password: string }): Promise<StaffUser> {
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction().execute(async (trx) => {
      if ((await countAdmins(trx)) > 0)
        throw new AppError('conflict', 'An admin account exists already: sign in instead');
      return this.insertUser(trx, { ...input, role: 'admin' }, passwordHash);
    });
  }

  async countAdmins(): Promise<number> {
    return countAdmins(this.db);
  }

  async listUsers(): Promise<StaffUser[]> {
    const rows = await this.db.selectFrom('staff_users').selectAll().orderBy('email').execute();
    return rows.map(toStaffUser);
  }

  async findUser(id: number): Promise<StaffUser | undefined> {
    const row = await this.db.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toStaffUser(row);
  }

  /** The account, its password hash and the wrong passwords given since its last sign-in, for sign-in only. */
  async findForSignIn(
    email: string,
  ): Promise<{ user: StaffUser; passwordHash: string; failedSignIns: number } | undefined> {
    const row = await this.db
      .selectFrom('staff_users')
      .selectAll()
      .where('email', '=', normalEmail(email))
      .executeTakeFirst();
    return row && { user: toStaffUser(row), passwordHash: row.password_hash, failedSignIns: row.failed_sign_ins };
  }

  /**
   * Counts a wrong password for the address. The same statement runs whether the account exists
   * or not, so the time of the answer does not tell which.
   */
  async recordFailedSignIn(email: string): Promise<void> {
    await this.db
      .updateTable('staff_users')
      .set((eb) => ({ failed_sign_ins: eb('failed_sign_ins', '+', 1) }))
      .where('email', '=', normalEmail(email))
      .execute();
  }

  /**
   * Notes the sign-in and takes back the failures the person is being told of; any that came in
   * meanwhile stay for next time.
   */
  async recordSignIn(id: number, failuresTold: number): Promise<void> {
    await this.db
      .updateTable('staff_users')
      .set((eb) => ({ last_sign_in_at: nowIso(), failed_sign_ins: eb('failed_sign_ins', '-', failuresTold) }))
      .where('id', '=', id)
      .execute();
  }

  /** Changes the role or the password; the last admin is never demoted. */
  async updateUser(id: number, patch: StaffPatch): Promise<StaffUser> {
    const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
    return this.db.transaction().execute(async (trx) => {
      const user = await findRow(trx, id);
      if (patch.role && patch.role !== 'admin' && user.role === 'admin') await refuseLastAdmin(trx, user, 'demote');
      if (patch.role === undefined && passwordHash === undefined) return toStaffUser(user);
      const row = await trx
        .updateTable('staff_users')
        .set({ ...(patch.role ? { role: patch.role } : {}), ...(passwordHash ? { password_hash: passwordHash } : {}) })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toStaffUser(row);
    });
  }

  /** Deletes the account and, by cascade, its sessions; the last admin is never deleted. */
  async deleteUser(id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const user = await findRow(trx, id);
      if (user.role === 'admin') await refuseLastAdmin(trx, user, 'delete');
      await trx.deleteFrom('staff_users').where('id', '=', id).execute();
    });
  }

  async setTestAddresses(id: number, addresses: readonly string[]): Promise<string[]> {
    const unique = [...new Set(addresses)];
    const result = await this.db
      .updateTable('staff_users')
      .set({ test_addresses: JSON.stringify(unique) })
      .where('id', '=', id)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw notFound(id);
    return unique;
  }

  /** Returns the token itself, which is shown once and never stored. */
  async createToken(
    input: { name: string; role: StaffRole; expiresAt?: string },
    createdBy?: number,
  ): Promise<{ id: number; token: string }> {
    const { token, lookup, secret } = generateToken();
    const row = await this.db
      .insertInto('api_tokens')
      .values({
        lookup,
        secret_hash: hashSecret(secret),
        name: input.name,
        role: input.role,
        created_at: nowIso(),
        created_by: createdBy ?? null,
        expires_at: input.expiresAt ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, token };
  }

  /** Every token with who made it, without its secret or the secret's hash. */
  async listTokens(): Promise<TokenInfo[]> {
    const rows = await this.db
      .selectFrom('api_tokens')
      .leftJoin('staff_users', 'staff_users.id', 'api_tokens.created_by')
      .select([
        'api_tokens.id',
        'api_tokens.name',
        'api_tokens.role',
        'api_tokens.created_at',
        'api_tokens.last_used_at',
        'api_tokens.expires_at',
        'staff_users.email as created_by',
      ])
      .orderBy('api_tokens.id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      role: row.role,
      createdAt: row.created_at,
      lastUsedAt: row.last_used_at,
      createdBy: row.created_by,
      expiresAt: row.expires_at,
    }));
  }

  /** Revokes a token: the row goes, so the next request that shows it is refused. */
  async deleteToken(id: number): Promise<void> {
    const result = await this.db.deleteFrom('api_tokens').where('id', '=', id).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw new AppError('not_found', `No API token with id ${id}`);
  }

  async verifyToken(token: string): Promise<TokenOwner | null> {
    const parts = parseToken(token);
    if (!parts) return null;
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('lookup', '=', parts.lookup)
      .executeTakeFirst();
    if (!row || !secretMatches(parts.secret, row.secret_hash)) return null;
    const now = Date.now();
    if (row.expires_at && Date.parse(row.expires_at) <= now) return null;
    if (!row.last_used_at || now - Date.parse(row.last_used_at) > LAST_USED_RESOLUTION_MS) {
      await this.db
        .updateTable('api_tokens')
        .set({ last_used_at: new Date(now).toISOString() })
        .where('id', '=', row.id)
        .execute();
    }
    return { tokenId: row.id, name: row.name, role: row.role };
  }

  private async insertUser(
    db: Kysely<Tables>,
    input: { email: string; role: StaffRole },
    passwordHash: string,
  ): Promise<StaffUser> {
    const email = normalEmail(input.email);
    try {
      const row = await db
        .insertInto('staff_users')
        .values({ email, password_hash: passwordHash, role: input.role, created_at: nowIso() })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toStaffUser(row);
    } catch (err) {
      if (isUniqueViolation(err))
        throw new AppError('conflict', `A staff account with the email ${email} already exists`);
      throw err;
    }
  }
}

async function countAdmins(db: Kysely<Tables>): Promise<number> {
  const row = await db
    .selectFrom('staff_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function findRow(trx: Transaction<Tables>, id: number): Promise<Selectable<StaffUsersTable>> {
  const row = await trx.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(id);
  return row;
}

/**
 * Refuses to demote or delete the only admin. The update that changes nothing locks every admin
 * row first: on PostgreSQL two admins demoting each other at the same moment then wait for one
 * another, and the second sees the first one's change, instead of both seeing the other still
 * admin. SQLite takes its write lock with it.
 */
async function refuseLastAdmin(
  trx: Transaction<Tables>,
  user: Selectable<StaffUsersTable>,
  doing: 'demote' | 'delete',
): Promise<void> {
  await trx
    .updateTable('staff_users')
    .set((eb) => ({ role: eb.ref('role') }))
    .where('role', '=', 'admin')
    .execute();
  if ((await countAdmins(trx)) <= 1) {
    throw new AppError(
      'conflict',
      `${user.email} is the last admin: make another admin before you ${doing} this account`,
    );
  }
}

/** Addresses are kept, and looked up, trimmed and in lower case. */
export function normalEmail(email: string): string {
  return email.trim().toLowerCase();
}

function notFound(id: number): AppError {
  return new AppError('not_found', `No staff account with id ${id}`);
}

function toStaffUser(row: Selectable<StaffUsersTable>): StaffUser {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: row.created_at,
    testAddresses: parseJson<string[]>(row.test_addresses),
    lastSignInAt: row.last_sign_in_at,
  };
}

// Migration 0019 on a database with staff, sessions and tokens made before it: every row, index
// and foreign key stays as it was, and the role may now be writer (and still nothing else).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { migrateUpTo } from '../../src/db/migrate.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../helpers/databases.js';
import { indexDefinitions, migrateUpToOn } from '../helpers/migrations.js';

const TABLES = ['staff_users', 'api_tokens', 'staff_sessions'] as const;

describe.each(databaseKinds())('migration 0019 on %s', (kind) => {
  let test: TestDatabase;
  const migrate = (database: Database, last: string) => migrateUpToOn(kind, database, last);

  beforeAll(async () => {
    test = await createTestDatabase(kind, (database) => migrateUpTo(database, '0018-translation-status'));
  });
  afterAll(async () => {
    await test?.drop();
  });

  const indexes = () => indexDefinitions(test.database, ['staff_users', 'api_tokens']);

  const rowsOf = async () => {
    const { db } = test.database;
    const all: Record<string, unknown[]> = {};
    for (const table of TABLES)
      all[table] = await db
        .selectFrom(table)
        .selectAll()
        .orderBy(sql.ref(table === 'staff_sessions' ? 'id_hash' : 'id'))
        .execute();
    return all;
  };

  it('keeps staff, sessions and tokens, their indexes and foreign keys, and lets the role be writer', async () => {
    const { db } = test.database;
    const at = '2026-11-30T10:00:00.000Z';
    const [, editor] = await db
      .insertInto('staff_users')
      .values([
        {
          email: 'admin@example.org',
          password_hash: 'x',
          role: 'admin',
          created_at: at,
          test_addresses: '[]',
          failed_sign_ins: 0,
          last_sign_in_at: null,
        },
        {
          email: 'editor@example.org',
          password_hash: 'y',
          role: 'editor',
          created_at: at,
          test_addresses: JSON.stringify(['editor+test@example.org']),
          failed_sign_ins: 2,
          last_sign_in_at: at,
        },
      ])
      .returning('id')
      .execute();
    await db
      .insertInto('staff_sessions')
      .values({ id_hash: 'a'.repeat(64), staff_id: editor!.id, created_at: at, last_seen_at: at, expires_at: at })
      .execute();
    await db
      .insertInto('api_tokens')
      .values([
        { lookup: 'lookup-1', secret_hash: 's', name: 'ci', role: 'editor', created_at: at, created_by: editor!.id },
        { lookup: 'lookup-2', secret_hash: 's', name: 'cli', role: 'admin', created_at: at, expires_at: at },
      ])
      .execute();
    const before = { rows: await rowsOf(), indexes: await indexes() };
    expect(before.indexes.length).toBeGreaterThan(0);
    expect(before.indexes.length).toBeGreaterThan(0);

    expect(await migrate(test.database, '0019-writer-role')).toEqual(['0019-writer-role']);

    expect({ rows: await rowsOf(), indexes: await indexes() }).toEqual(before);

    // The role takes writer now, and still nothing it does not know.
    await db
      .insertInto('staff_users')
      .values({ email: 'w@example.org', password_hash: 'z', role: 'writer', created_at: at })
      .execute();
    await db
      .insertInto('api_tokens')
      .values({ lookup: 'lookup-3', secret_hash: 's', name: 'w', role: 'writer', created_at: at })
      .execute();
    await expect(
      db
        .insertInto('staff_users')
        .values({ email: 'o@example.org', password_hash: 'z', role: 'owner' as 'admin', created_at: at })
        .execute(),
    ).rejects.toThrow(/check/i);
    await expect(
      db
        .insertInto('api_tokens')
        .values({ lookup: 'lookup-4', secret_hash: 's', name: 'o', role: 'owner' as 'admin', created_at: at })
        .execute(),
    ).rejects.toThrow(/check/i);
    // Unique still unique.
    await expect(
      db
        .insertInto('staff_users')
        .values({ email: 'admin@example.org', password_hash: 'z', role: 'writer', created_at: at })
        .execute(),
    ).rejects.toThrow(/unique/i);
    await expect(
      db
        .insertInto('api_tokens')
        .values({ lookup: 'lookup-1', secret_hash: 's', name: 'again', role: 'writer', created_at: at })
        .execute(),
    ).rejects.toThrow(/unique/i);

    // The foreign keys into staff_users still act: a deleted person's sessions go, their tokens stay unowned.
    await db.deleteFrom('staff_users').where('id', '=', editor!.id).execute();
    expect(await db.selectFrom('staff_sessions').selectAll().execute()).toEqual([]);
    expect(
      await db.selectFrom('api_tokens').select(['name', 'created_by']).where('name', '=', 'ci').executeTakeFirst(),
    ).toEqual({ name: 'ci', created_by: null });
    // And refuse a session of nobody.
    await expect(
      db
        .insertInto('staff_sessions')
        .values({ id_hash: 'b'.repeat(64), staff_id: 999, created_at: at, last_seen_at: at, expires_at: at })
        .execute(),
    ).rejects.toThrow(/foreign key/i);
  });
});

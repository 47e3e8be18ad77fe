// Each storage test runs on SQLite and, when TEST_POSTGRES_URL is set, on PostgreSQL, each time
// in a database of its own (a fresh SQLite file, or a fresh PostgreSQL schema).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.js';
import { openDatabase, type Database, type DatabaseKind } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL;

export function databaseKinds(): DatabaseKind[] {
  return POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDatabase {
  database: Database;
  config: DatabaseConfig;
  /** The same database as a DATABASE_URL, for a child process. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh database, migrated to the latest migration unless `migrate` says otherwise (a test of a migration). */
export async function createTestDatabase(
  kind: DatabaseKind,
  migrate: (database: Database) => Promise<unknown> = migrateToLatest,
): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pregon-test-'));
    const path = join(dir, 'test.db');
    const config: DatabaseConfig = { kind, path };
    const database = openDatabase(config);
    await migrate(database);
    return {
      database,
      config,
      url: `sqlite:${path}`,
      drop: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!POSTGRES_URL) throw new Error('TEST_POSTGRES_URL is not set');
  const schema = `test_${randomUUID().replaceAll('-', '')}`;
  await adminQuery(`create schema ${schema}`);
  const url = withSearchPath(POSTGRES_URL, schema);
  const config: DatabaseConfig = { kind, url };
  const database = openDatabase(config);
  await whileNoSchemaIsDropped(() => migrate(database));
  return {
    database,
    config,
    url,
    drop: async () => {
      await database.close();
      await adminQuery(`drop schema ${schema} cascade`, 'select pg_advisory_lock($1)');
    },
  };
}

function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/**
 * Test files share one PostgreSQL database, a schema each. Kysely's migrator reads the tables of
 * every schema (with has_schema_privilege on each), which fails with "schema … does not exist"
 * when another file drops its schema at that moment: migrations hold this lock shared, and a
 * drop holds it alone.
 */
const SCHEMA_DROP_LOCK = 720_260_901;

export async function whileNoSchemaIsDropped<T>(work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock_shared($1)', [SCHEMA_DROP_LOCK]);
    return await work();
  } finally {
    await client.end(); // ending the session releases the lock
  }
}

/** Runs `text` as the admin, after `lock` (a statement taking SCHEMA_DROP_LOCK) when given. */
async function adminQuery(text: string, lock?: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    if (lock) await client.query(lock, [SCHEMA_DROP_LOCK]);
    await client.query(text);
  } finally {
    await client.end();
  }
}

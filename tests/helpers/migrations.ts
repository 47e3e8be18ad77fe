// For the tests of one migration: migrate a test database up to a named one, and read the indexes
// a table rebuild must keep.
import { sql } from 'kysely';
import type { Database, DatabaseKind } from '../../src/db/database.js';
import { migrateUpTo } from '../../src/db/migrate.js';
import { whileNoSchemaIsDropped } from './databases.js';

/** Migrates `database` up to and including `last`; on PostgreSQL while no other test drops its schema. */
export function migrateUpToOn(kind: DatabaseKind, database: Database, last: string): ReturnType<typeof migrateUpTo> {
  return kind === 'postgres' ? whileNoSchemaIsDropped(() => migrateUpTo(database, last)) : migrateUpTo(database, last);
}

/** "name: definition" of each index of `tables`, sorted (SQLite's own for unique columns have no definition). */
export async function indexDefinitions(database: Database, tables: readonly string[]): Promise<string[]> {
  const { db, kind } = database;
  const { rows } =
    kind === 'sqlite'
      ? await sql<{ name: string; sql: string | null }>`
          select name, sql from sqlite_master where type = 'index' and tbl_name in (${sql.join(tables)})`.execute(db)
      : await sql<{ name: string; sql: string }>`
          select indexname as name, indexdef as sql from pg_indexes
          where schemaname = current_schema() and tablename in (${sql.join(tables)})`.execute(db);
  return rows.map((row) => `${row.name}: ${row.sql}`).sort();
}

// Everything a test database holds, table by table, to show that a refused request changed nothing.
import { sql } from 'kysely';
import type { TestDatabase } from './databases.js';

/** Usage stamps a valid credential writes even when its request is refused for its role. */
const USAGE_STAMPS = ['last_used_at', 'last_seen_at'];

export async function databaseSnapshot(test: TestDatabase): Promise<Record<string, string[]>> {
  const db = test.database.db;
  // On PostgreSQL each test has a schema of its own in a shared database: only that one counts.
  const schema =
    test.config.kind === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!.schema
      : undefined;
  // Read from the one schema: Kysely's introspection reads every schema, and fails when another
  // test drops its own meanwhile.
  const tables = (
    schema === undefined
      ? (await db.introspection.getTables()).filter((table) => !table.isView).map((table) => table.name)
      : (
          await sql<{
            name: string;
          }>`select tablename as name from pg_catalog.pg_tables where schemaname = ${schema}`.execute(db)
        ).rows.map((row) => row.name)
  ).sort();
  if (tables.length === 0) throw new Error('no tables found: the snapshot would prove nothing');
  const snapshot: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = (await db
      .selectFrom(table as never)
      .selectAll()
      .execute()) as Record<string, unknown>[];
    snapshot[table] = rows
      .map((row) =>
        JSON.stringify(Object.fromEntries(Object.entries(row).filter(([column]) => !USAGE_STAMPS.includes(column)))),
      )
      .sort();
  }
  return snapshot;
}

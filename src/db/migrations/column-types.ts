// The column types that differ between SQLite and PostgreSQL, for every migration.
import type { ColumnDefinitionBuilder } from 'kysely';
import type { DatabaseKind } from '../database.js';

export function columnTypes(kind: DatabaseKind) {
  const pg = kind === 'postgres';
  return {
    /** ISO-8601 text on SQLite; timestamptz on PostgreSQL, read back as ISO by the driver setup. */
    timestamp: pg ? 'timestamptz' : 'text',
    json: pg ? 'jsonb' : 'text',
    /** An integer primary key the database assigns. */
    id: (c: ColumnDefinitionBuilder) =>
      pg ? c.generatedByDefaultAsIdentity().primaryKey() : c.primaryKey().autoIncrement(),
  } as const;
}

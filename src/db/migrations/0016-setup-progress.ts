// First-run steps no other table remembers: a test copy sends no campaign and leaves no row, so
// the setup checklist keeps when the first one went out.
import type { Kysely, Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function setupProgress(kind: DatabaseKind): Migration {
  const { timestamp } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('setup_progress')
        .addColumn('step', 'text', (c) => c.primaryKey())
        .addColumn('reached_at', timestamp, (c) => c.notNull())
        .execute();
    },
  };
}

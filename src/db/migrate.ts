// Runs the migrations in src/db/migrations, in order, on either database.
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './database.js';
import { foundation } from './migrations/0001-foundation.js';

function migrations(db: Database): Record<string, Migration> {
  return {
    '0001-foundation': foundation(db.kind),
  };
}

export async function migrateToLatest(db: Database): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(db) };
  const migrator = new Migrator({ db: db.db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

// `npm run migrate`: brings the configured database to the latest schema.
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';

try {
  const database = openDatabase(loadConfig(process.env).database);
  try {
    const applied = await migrateToLatest(database);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  } finally {
    await database.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exitCode = 1;
}

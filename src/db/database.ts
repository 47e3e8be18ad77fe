// Opens the Kysely instance for SQLite (default) or PostgreSQL; the rest of the code does not
// know which one it talks to, except where a store needs a dialect-specific expression.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { attributeNumber } from './sql-functions.js';
import type { DatabaseConfig } from '../config.js';
import type { Tables } from './schema.js';

export type DatabaseKind = DatabaseConfig['kind'];

export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Kysely<Tables>;
  /** Answers when the database answers a trivial query; throws otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const PG_INT8 = 20;
const PG_TIMESTAMPTZ = 1184;

export function openDatabase(config: DatabaseConfig): Database {
  const db = new Kysely<Tables>({
    dialect: config.kind === 'sqlite' ? sqliteDialect(config.path) : postgresDialect(config.url),
  });
  return {
    kind: config.kind,
    db,
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

function sqliteDialect(path: string): SqliteDialect {
  if (path !== ':memory:') ownerOnly(path);
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  // A second process (npm run migrate, the CLI, a worker) may hold the write lock briefly.
  database.pragma('busy_timeout = 5000');
  // Segment rules compare attributes as numbers through this function (PostgreSQL has it as SQL).
  database.function('pregon_number', { deterministic: true }, (type: unknown, value: unknown) =>
    attributeNumber(type, value),
  );
  return new SqliteDialect({ database });
}

/**
 * The database holds addresses and the suppression hashes: readable by its owner only, like
 * DATA_DIR/app-secret. A new file is created 0600 (SQLite would make it 0644 under the usual umask),
 * and SQLite gives its -wal and -shm files the database file's mode. Files this process owns are
 * narrowed to 0600 (those of an earlier version); files another user owns are the operator's to set.
 */
function ownerOnly(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (!existsSync(file)) continue;
    const { uid, mode } = statSync(file);
    if (uid === process.getuid?.() && mode & 0o077) chmodSync(file, 0o600);
  }
}

function postgresDialect(url: string): PostgresDialect {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      // Counts and ids come back as numbers, timestamps as the ISO strings SQLite gives.
      getTypeParser(oid: number, format?: 'text' | 'binary') {
        if (oid === PG_INT8) return (value: string) => Number(value);
        if (oid === PG_TIMESTAMPTZ) return (value: string) => new Date(value).toISOString();
        return pg.types.getTypeParser(oid, format);
      },
    } as pg.CustomTypesConfig,
  });
  // A connection that dies (the server restarted, the network cut) is dropped by the pool, and a
  // query it was running fails with the error; the next query connects anew. Its 'error' event,
  // idle (the pool's) or in use (the client's), would crash the process were nobody listening.
  pool.on('error', () => undefined);
  // PostgreSQL compiles a query it guesses costly with LLVM first: a send's snapshot of 100,000
  // subscribers spent 0.3–0.5 s compiling to run in about 1 s. None of Pregón's queries is long
  // enough to earn that back. (A `jit` in the URL's options would be overridden here.)
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    client.query('set jit = off').catch(() => undefined); // a server without the setting just keeps its own
  });
  return new PostgresDialect({ pool });
}

// The writer role, below editor: staff accounts and API tokens may hold it. Only the CHECK on
// each table's role changes. PostgreSQL drops and adds the constraint; SQLite cannot alter a
// CHECK, so each table is rebuilt the way SQLite documents (https://sqlite.org/lang_altertable.html,
// "other kinds of table schema changes"): the new table from the old one's own definition with
// the CHECK replaced, every row copied, the old table dropped, the new one renamed, the indexes
// made again. Foreign keys are off meanwhile, so dropping staff_users neither deletes the sessions
// that point at it nor clears the tokens' created_by; the check after the copy proves none broke.
import { sql, type Kysely, type Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';

const TABLES = ['staff_users', 'api_tokens'] as const;
const OLD_CHECK = "role in ('admin', 'editor')";
const NEW_CHECK = "role in ('writer', 'editor', 'admin')";

export function writerRole(kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<any>) {
      if (kind === 'postgres') {
        for (const table of TABLES) {
          // The name PostgreSQL gave the column's CHECK in 0001-foundation.
          await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(`${table}_role_check`)}`.execute(db);
          await sql`alter table ${sql.table(table)} add constraint ${sql.ref(`${table}_role_check`)}
            check (${sql.raw(NEW_CHECK)})`.execute(db);
        }
        return;
      }
      // A no-op inside a transaction, so set before the rebuild's (Kysely runs SQLite migrations
      // outside one: SQLite has no transactional DDL in its adapter).
      await sql`pragma foreign_keys = off`.execute(db);
      try {
        await db.transaction().execute(async (trx) => {
          for (const table of TABLES) await rebuildWithNewCheck(trx, table, OLD_CHECK, NEW_CHECK);
          const broken = await sql`pragma foreign_key_check`.execute(trx);
          if (broken.rows.length)
            throw new Error(`0019-writer-role: foreign keys broken: ${JSON.stringify(broken.rows)}`);
        });
      } finally {
        await sql`pragma foreign_keys = on`.execute(db);
      }
    },
  };
}

/** Rebuilds a SQLite table with one CHECK replaced (0021-send-approval does it for campaigns' states too). */
export async function rebuildWithNewCheck(
  db: Kysely<any>,
  table: string,
  oldCheck: string,
  newCheck: string,
): Promise<void> {
  const { rows } = await sql<{ type: string; name: string; sql: string | null }>`
    select type, name, sql from sqlite_master where tbl_name = ${table}`.execute(db);
  const definition = rows.find((row) => row.type === 'table')?.sql;
  if (!definition?.includes(oldCheck)) throw new Error(`${table} has no "${oldCheck}" to replace`);
  const rebuilt = `${table}_rebuilt`;
  // The definition starts `create table "staff_users" (`: only its name and the CHECK change.
  const created = definition.replace(/^create table "?\w+"?/i, `create table "${rebuilt}"`).replace(oldCheck, newCheck);
  await sql.raw(created).execute(db);
  await sql`insert into ${sql.table(rebuilt)} select * from ${sql.table(table)}`.execute(db);
  await sql`drop table ${sql.table(table)}`.execute(db);
  await sql`alter table ${sql.table(rebuilt)} rename to ${sql.table(table)}`.execute(db);
  // Unique columns' own indexes (sql is null) come back with the table; declared ones are made again.
  for (const index of rows.filter((row) => row.type === 'index' && row.sql)) await sql.raw(index.sql!).execute(db);
}

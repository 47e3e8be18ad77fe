// An index that finds subscribers by part of their address at any list size (the subscribers list's
// `email` filter, docs/audience.md "Finding subscribers"): PostgreSQL's pg_trgm GIN index, and on
// SQLite an FTS5 table of the addresses' trigrams kept in step with `subscribers` by triggers.
import { sql, type Kysely, type Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';

/** Taken while pg_trgm is created: two schemas migrating at once in one database would both try. */
const EXTENSION_LOCK = 720_260_927;

export function addressSearch(kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<any>) {
      if (kind === 'postgres') await postgresIndex(db);
      else await sqliteIndex(db);
    },
  };
}

/**
 * pg_trgm goes into `public`, not the schema Pregón's tables are in: an extension belongs to one
 * schema per database, and one dropped with a schema would take every other schema's index along.
 * Where an administrator installed it already, wherever that is, that copy serves.
 */
async function postgresIndex(db: Kysely<any>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${EXTENSION_LOCK})`.execute(db);
  await sql`create extension if not exists pg_trgm with schema public`.execute(db);
  const { rows } = await sql<{ schema: string }>`
    select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname = 'pg_trgm'`.execute(db);
  const opclass = sql`${sql.id(rows[0]!.schema)}.gin_trgm_ops`;
  await sql`create index subscribers_email_trigrams on subscribers using gin (email ${opclass})`.execute(db);
}

/**
 * The FTS5 table keeps no copy of the addresses (its content is `subscribers`) and no positions
 * (detail=none): a search asks for each trigram of the fragment and checks the address itself, so
 * the index holds only which rows have which trigram. secure-delete takes an erased address's
 * trigrams out of the index at once, not at the next merge. A later migration that rebuilds
 * `subscribers` must make these triggers again (dropping the table drops them).
 */
async function sqliteIndex(db: Kysely<any>): Promise<void> {
  await sql`create virtual table subscribers_email_search using fts5(
    email, content = 'subscribers', content_rowid = 'id', tokenize = 'trigram', detail = 'none')`.execute(db);
  await sql`insert into subscribers_email_search (subscribers_email_search, rank) values ('secure-delete', 1)`.execute(
    db,
  );
  await sql`insert into subscribers_email_search (subscribers_email_search) values ('rebuild')`.execute(db);
  await sql`create trigger subscribers_email_search_insert after insert on subscribers begin
    insert into subscribers_email_search (rowid, email) values (new.id, new.email);
  end`.execute(db);
  await sql`create trigger subscribers_email_search_delete after delete on subscribers begin
    insert into subscribers_email_search (subscribers_email_search, rowid, email) values ('delete', old.id, old.email);
  end`.execute(db);
  await sql`create trigger subscribers_email_search_update after update of email on subscribers begin
    insert into subscribers_email_search (subscribers_email_search, rowid, email) values ('delete', old.id, old.email);
    insert into subscribers_email_search (rowid, email) values (new.id, new.email);
  end`.execute(db);
}

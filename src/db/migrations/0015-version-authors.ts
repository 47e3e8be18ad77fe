// Who saved each bulletin version: a staff member's email or "token: <name>". Versions saved
// before this migration have no author (shown as "unknown").
import type { Kysely, Migration } from 'kysely';

export function versionAuthors(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('bulletin_versions').addColumn('saved_by', 'text').execute();
    },
  };
}

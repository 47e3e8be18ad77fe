// A campaign's priority: an urgent one's batches run before every normal campaign's waiting
// batches, on the same queue and limiter (docs/sending.md, "Urgent sends"). Every campaign before
// this one was normal.
import { sql, type Kysely, type Migration } from 'kysely';

export function campaignPriority(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('campaigns')
        .addColumn('priority', 'text', (c) =>
          c.notNull().defaultTo('normal').check(sql`priority in ('normal', 'urgent')`),
        )
        .execute();
    },
  };
}

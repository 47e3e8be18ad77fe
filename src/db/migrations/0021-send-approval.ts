// Approval before big sends: a campaign may wait for another staff member's approval, and end
// declined or withdrawn without sending. The states' CHECK changes the way 0019-writer-role changed
// the roles' (PostgreSQL drops and adds it; SQLite rebuilds the table), and three columns say who
// asked and how many people the send reached then.
import { sql, type Kysely, type Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { rebuildWithNewCheck } from './0019-writer-role.js';

const OLD_CHECK = "state in ('scheduled', 'preparing', 'sending', 'paused', 'sent', 'cancelled', 'failed')";
const NEW_CHECK =
  "state in ('scheduled', 'preparing', 'sending', 'paused', 'sent', 'cancelled', 'failed', " +
  "'awaiting_approval', 'declined', 'withdrawn')";

export function sendApproval(kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<any>) {
      if (kind === 'postgres') {
        // The name PostgreSQL gave the column's CHECK in 0004-sending.
        await sql`alter table campaigns drop constraint campaigns_state_check`.execute(db);
        await sql`alter table campaigns add constraint campaigns_state_check check (${sql.raw(NEW_CHECK)})`.execute(db);
      } else {
        // As in 0019: foreign keys off around the rebuild, so the deliveries pointing at campaigns stay.
        await sql`pragma foreign_keys = off`.execute(db);
        try {
          await db.transaction().execute(async (trx) => {
            await rebuildWithNewCheck(trx, 'campaigns', OLD_CHECK, NEW_CHECK);
            const broken = await sql`pragma foreign_key_check`.execute(trx);
            if (broken.rows.length)
              throw new Error(`0021-send-approval: foreign keys broken: ${JSON.stringify(broken.rows)}`);
          });
        } finally {
          await sql`pragma foreign_keys = on`.execute(db);
        }
      }
      await db.schema
        .alterTable('campaigns')
        .addColumn('requested_by_kind', 'text', (c) => c.check(sql`requested_by_kind in ('staff', 'token')`))
        .execute();
      await db.schema.alterTable('campaigns').addColumn('requested_by_id', 'integer').execute();
      await db.schema.alterTable('campaigns').addColumn('requested_audience', 'integer').execute();
    },
  };
}

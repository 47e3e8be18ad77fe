// The SES webhook forgets SNS message ids after 14 days (src/events/ses-events.ts): an index on
// when each came, so that the hourly delete reads only the old rows.
import type { Kysely, Migration } from 'kysely';

export function snsMessagesByAge(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.createIndex('sns_messages_received_at').on('sns_messages').column('received_at').execute();
    },
  };
}

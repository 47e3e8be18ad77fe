// Two indexes that every import or send paid for on each row and that the reads they served do
// without: SES events find a subscriber by address through the unique email index (addresses are
// stored trimmed and lower-cased, as the hash is made), and the ledger indexes a message id only
// once a message has one, not the NULL of every row a snapshot writes.
import { sql, type Kysely, type Migration } from 'kysely';

export function leanerIndexes(): Migration {
  return {
    async up(db: Kysely<any>) {
      // A random key: each new subscriber landed on its own page of it, a third of an import's work.
      await db.schema.dropIndex('subscribers_email_hash').execute();
      await db.schema.dropIndex('deliveries_message_id').execute();
      await db.schema
        .createIndex('deliveries_message_id')
        .on('deliveries')
        .column('message_id')
        .where(sql.ref('message_id'), 'is not', null)
        .execute();
    },
  };
}

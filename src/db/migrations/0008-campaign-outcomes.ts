// A campaign's report counts the bounces, complaints and unsubscribes it caused from the consent
// log, every second while someone watches it: an index keeps that from reading the whole log.
import type { Kysely, Migration } from 'kysely';

export function campaignOutcomes(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createIndex('consent_events_campaign')
        .on('consent_events')
        .columns(['campaign_id', 'event'])
        .execute();
    },
  };
}

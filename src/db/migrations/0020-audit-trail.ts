// The audit trail: who did what among the actions that matter (sign-ins, sends, exports,
// erasures, settings, staff and tokens). Who is kept by id and by name as they were then, so an
// entry stays readable once the staff member or the token is gone. No foreign keys for the same
// reason. Entries older than AUDIT_RETENTION_DAYS are pruned by the worker.
import { sql, type Kysely, type Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function auditTrail(kind: DatabaseKind): Migration {
  const { timestamp, json, id } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('audit_events')
        .addColumn('id', 'integer', id)
        .addColumn('at', timestamp, (c) => c.notNull())
        .addColumn('actor_kind', 'text', (c) => c.notNull().check(sql`actor_kind in ('staff', 'token', 'anonymous')`))
        // The staff member's or the token's id; null for "anonymous".
        .addColumn('actor_id', 'integer')
        // The staff member's email or the token's name, as they were then; "anonymous" otherwise.
        .addColumn('actor_name', 'text', (c) => c.notNull())
        // A word of src/audit/schemas.ts's AuditAction; no CHECK, so adding one needs no migration.
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text')
        .addColumn('target_id', 'integer')
        .addColumn('details', json, (c) => c.notNull())
        .execute();
      // The list reads newest first (by id) and the prune by time.
      await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
      await db.schema
        .createIndex('audit_events_actor')
        .on('audit_events')
        .columns(['actor_kind', 'actor_id', 'id'])
        .execute();
      await db.schema.createIndex('audit_events_action').on('audit_events').columns(['action', 'id']).execute();
      await db.schema
        .createIndex('audit_events_target')
        .on('audit_events')
        .columns(['target_type', 'target_id'])
        .execute();
    },
  };
}

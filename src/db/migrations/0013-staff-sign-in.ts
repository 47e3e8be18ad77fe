// Sign-in and tokens with an owner: failed sign-ins counted per account until the person next
// signs in (and is told), and who made each API token and when it stops working.
import type { Kysely, Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function staffSignIn(kind: DatabaseKind): Migration {
  const { timestamp } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('staff_users')
        .addColumn('failed_sign_ins', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('api_tokens')
        .addColumn('created_by', 'integer', (c) => c.references('staff_users.id').onDelete('set null'))
        .execute();
      await db.schema.alterTable('api_tokens').addColumn('expires_at', timestamp).execute();
    },
  };
}

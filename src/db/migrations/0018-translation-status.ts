// What staff said about a bulletin's translations: which languages are ready to send, and which
// translations are still correct after the fallback language's text changed. When each text last
// changed is read from the versions, not stored (src/bulletins/translation-history.ts).
import type { Kysely, Migration } from 'kysely';
import type { DatabaseKind } from '../database.js';
import { columnTypes } from './column-types.js';

export function translationStatus(kind: DatabaseKind): Migration {
  const { timestamp } = columnTypes(kind);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('bulletin_ready_languages')
        .addColumn('bulletin_id', 'integer', (c) => c.notNull().references('bulletins.id').onDelete('cascade'))
        .addColumn('language', 'text', (c) => c.notNull())
        // The staff member's email or "token: <name>", as a version's saved_by.
        .addColumn('marked_by', 'text')
        .addColumn('marked_at', timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('bulletin_ready_languages_pk', ['bulletin_id', 'language'])
        .execute();
      await db.schema
        .createTable('translation_confirmations')
        .addColumn('bulletin_id', 'integer', (c) => c.notNull().references('bulletins.id').onDelete('cascade'))
        // The field's name within its block ("body", "button.label") or the bulletin's ("subject"):
        // without the block's place, so a block that moves keeps its confirmations.
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        // SHA-256 (hex) of the fallback language's text the translation was confirmed against: a
        // text can be 20,000 characters, past what a PostgreSQL index takes.
        .addColumn('fallback_sha256', 'text', (c) => c.notNull())
        .addColumn('confirmed_by', 'text')
        .addColumn('confirmed_at', timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('translation_confirmations_pk', [
          'bulletin_id',
          'field',
          'language',
          'fallback_sha256',
        ])
        .execute();
    },
  };
}

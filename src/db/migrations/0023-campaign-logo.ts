// The logo each send went out with: its mail and archive pages show it long after the settings'
// logo changed, and the media library must not delete that image (src/media/media-store.ts). Set
// when a campaign starts; a campaign that started before this migration gets the logo of today's
// settings, the best guess there is (its archive pages were rendered with the settings of then).
import type { Kysely, Migration } from 'kysely';
import { parseJson } from '../schema.js';

export function campaignLogo(): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('campaigns').addColumn('logo_url', 'text').execute();
      const row = await db.selectFrom('settings').select('data').where('id', '=', 1).executeTakeFirst();
      const logoUrl = row ? (parseJson<{ logoUrl?: string }>(row.data).logoUrl ?? '') : '';
      await db.updateTable('campaigns').set({ logo_url: logoUrl }).where('started_at', 'is not', null).execute();
    },
  };
}

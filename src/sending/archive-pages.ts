// The public archive's copy of each published campaign, per language: rendered once, when the
// campaign is prepared, and stored, so the archive only reads (src/supporters/archive-store.ts)
// and an anonymous reader never makes the server render. The only writer of archive_pages.
import type { Kysely } from 'kysely';
import type { BulletinStore } from '../bulletins/bulletin-store.js';
import type { BulletinDocument } from '../bulletins/document.js';
import { nowIso, type Tables } from '../db/schema.js';
import type { BulletinRenderer } from '../render/bulletin-renderer.js';
import type { ThemeContext } from '../render/render.js';

export class ArchivePages {
  constructor(private readonly deps: { db: Kysely<Tables>; bulletins: BulletinStore; renderer: BulletinRenderer }) {}

  /**
   * Renders the campaign's archive copy in each of the document's languages and stores it, with
   * the theme context the mail was rendered with. Run again (a start job after a crash), it
   * stores the same pages again.
   */
  async publish(campaignId: number, document: BulletinDocument, context: ThemeContext): Promise<void> {
    const createdAt = nowIso();
    const rows = await Promise.all(
      document.languages.map(async (language) => ({
        campaign_id: campaignId,
        language,
        html: await this.deps.renderer.archiveCopy(document, language, context),
        created_at: createdAt,
      })),
    );
    await this.deps.db
      .insertInto('archive_pages')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['campaign_id', 'language']).doUpdateSet((eb) => ({
          html: eb.ref('excluded.html'),
          created_at: eb.ref('excluded.created_at'),
        })),
      )
      .execute();
  }

  /**
   * Stores the pages of published campaigns prepared without them: those sent before migration
   * 0010, which cannot render. Rendered with today's settings, as the archive showed them until
   * then. Returns how many campaigns it published; none after the first run.
   */
  async backfill(): Promise<number> {
    const { db, bulletins, renderer } = this.deps;
    const campaigns = await db
      .selectFrom('campaigns')
      .select(['id', 'bulletin_version_id'])
      .where('archive', '=', 1)
      .where('templates', 'is not', null)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('archive_pages').select('campaign_id').whereRef('campaign_id', '=', 'campaigns.id'))),
      )
      .orderBy('id')
      .execute();
    for (const campaign of campaigns) {
      const document = await bulletins.version(campaign.bulletin_version_id);
      await this.publish(campaign.id, document, await renderer.themeContext(document));
    }
    return campaigns.length;
  }
}

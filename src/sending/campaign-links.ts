// Link tracking: a campaign's links, registered when it is prepared, and their clicks counted in
// aggregate (a click names the link, never the reader).
import type { Kysely } from 'kysely';
import type { Tables } from '../db/schema.js';

export class CampaignLinks {
  constructor(private readonly db: Kysely<Tables>) {}

  /** Registers the campaign's links (again is fine); returns each link's id by `block url`. */
  async register(campaignId: number, links: readonly { block: number; url: string }[]): Promise<Map<string, number>> {
    if (links.length) {
      await this.db
        .insertInto('campaign_links')
        .values(links.map((l) => ({ campaign_id: campaignId, block: l.block, url: l.url })))
        .onConflict((oc) => oc.columns(['campaign_id', 'block', 'url']).doNothing())
        .execute();
    }
    const rows = await this.db
      .selectFrom('campaign_links')
      .select(['id', 'block', 'url'])
      .where('campaign_id', '=', campaignId)
      .execute();
    return new Map(rows.map((r) => [`${r.block} ${r.url}`, r.id]));
  }

  /** The link's address, or undefined for an unknown link: a click that is not counted. */
  async url(linkId: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('campaign_links').select('url').where('id', '=', linkId).executeTakeFirst();
    return row?.url;
  }

  /** Counts a click and gives the link's address, or undefined for an unknown link. */
  async click(linkId: number): Promise<string | undefined> {
    const row = await this.db
      .updateTable('campaign_links')
      .set((eb) => ({ clicks: eb('clicks', '+', 1) }))
      .where('id', '=', linkId)
      .returning('url')
      .executeTakeFirst();
    return row?.url;
  }
}

// Link tracking: a campaign's links, registered when it is prepared, and their clicks counted in
// aggregate (a click names the link and the mail's language, never the reader).
import type { Kysely } from 'kysely';
import type { Tables } from '../db/schema.js';

export class CampaignLinks {
  constructor(private readonly db: Kysely<Tables>) {}

  /** Registers the campaign's links (again is fine); returns each link's id by `block url`. */
  async register(campaignId: number, links: readonly { block: number; url: string }[]): Promise<Map<string, number>> {
    // Each language's links: most appear in several, and are one row.
    const distinct = [...new Map(links.map((l) => [`${l.block} ${l.url}`, l])).values()];
    if (distinct.length) {
      await this.db
        .insertInto('campaign_links')
        .values(distinct.map((l) => ({ campaign_id: campaignId, block: l.block, url: l.url })))
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

  /**
   * Counts a click, in the link's total and under the mail's language when the link names one, and
   * gives the link's address; undefined for an unknown link.
   */
  async click(linkId: number, language?: string): Promise<string | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('campaign_links')
        .set((eb) => ({ clicks: eb('clicks', '+', 1) }))
        .where('id', '=', linkId)
        .returning('url')
        .executeTakeFirst();
      if (row && language)
        await trx
          .insertInto('campaign_link_clicks')
          .values({ link_id: linkId, language, clicks: 1 })
          .onConflict((oc) =>
            oc
              .columns(['link_id', 'language'])
              .doUpdateSet((eb) => ({ clicks: eb('campaign_link_clicks.clicks', '+', 1) })),
          )
          .execute();
      return row?.url;
    });
  }
}

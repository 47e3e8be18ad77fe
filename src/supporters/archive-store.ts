// What the public archive shows: the campaigns published in it, sent, and not for a private topic,
// and the pages stored for them when they were prepared (src/sending/archive-pages.ts writes them).
import type { Kysely } from 'kysely';
import { parseJson, type Tables } from '../db/schema.js';
import type { BulletinDocument, Localised } from '../bulletins/document.js';

export interface ArchivedCampaign {
  id: number;
  /** The bulletin version the campaign pinned: what subscribers got. */
  bulletinVersionId: number;
  finishedAt: string;
}

export interface ArchiveEntry extends ArchivedCampaign {
  subject: Localised;
  /** The line mail clients show after the subject, when the bulletin has one: the feeds' summary. */
  preheader?: Localised;
  /** The bulletin's languages; the first is its fallback. */
  languages: string[];
}

export class ArchiveStore {
  constructor(private readonly db: Kysely<Tables>) {}

  /** One page of the archive, newest first, and how many entries there are in all. */
  async listSent(page: number, perPage: number): Promise<{ entries: ArchiveEntry[]; total: number }> {
    const [rows, count] = await Promise.all([
      // The join is on the version's primary key, so a campaign is one row whatever else it has.
      this.archived()
        .innerJoin('bulletin_versions', 'bulletin_versions.id', 'campaigns.bulletin_version_id')
        .select([
          'campaigns.id',
          'campaigns.bulletin_version_id',
          'campaigns.finished_at',
          'bulletin_versions.document',
        ])
        .orderBy('campaigns.finished_at', 'desc')
        .orderBy('campaigns.id', 'desc')
        .limit(perPage)
        .offset((page - 1) * perPage)
        .execute(),
      this.archived()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    const entries = rows.map((row) => {
      const document = parseJson<BulletinDocument>(row.document);
      return {
        id: row.id,
        bulletinVersionId: row.bulletin_version_id,
        finishedAt: row.finished_at!,
        subject: document.subject,
        preheader: document.preheader,
        languages: document.languages,
      };
    });
    return { entries, total: Number(count.n) };
  }

  /** The campaign if the archive may show it, else undefined (unknown, not sent, or not published). */
  async sentCampaign(id: number): Promise<ArchivedCampaign | undefined> {
    const row = await this.archived()
      .select(['campaigns.id', 'campaigns.bulletin_version_id', 'campaigns.finished_at'])
      .where('campaigns.id', '=', id)
      .executeTakeFirst();
    return row && { id: row.id, bulletinVersionId: row.bulletin_version_id, finishedAt: row.finished_at! };
  }

  /** The campaign's stored page in `language`, a whole HTML document; undefined when there is none. */
  async page(campaignId: number, language: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('archive_pages')
      .select('html')
      .where('campaign_id', '=', campaignId)
      .where('language', '=', language)
      .executeTakeFirst();
    return row?.html;
  }

  /**
   * Staff publish a send when they send it; a private topic's bulletins stay out even then (the
   * topic may have become private since), as does a campaign whose pages were not stored (one
   * published before they were, until `npm start` renders them). A sent campaign always has
   * finished_at; the check keeps the ordering the same on both databases (they sort NULLs at
   * opposite ends).
   */
  private archived() {
    return this.db
      .selectFrom('campaigns')
      .where('campaigns.state', '=', 'sent')
      .where('campaigns.archive', '=', 1)
      .where('campaigns.finished_at', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('campaigns.topic', 'is', null),
          eb.exists(
            eb
              .selectFrom('topics')
              .select('topics.id')
              .whereRef('topics.key', '=', 'campaigns.topic')
              .where('topics.public', '=', 1),
          ),
        ]),
      )
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('archive_pages')
            .select('archive_pages.campaign_id')
            .whereRef('archive_pages.campaign_id', '=', 'campaigns.id'),
        ),
      );
  }
}

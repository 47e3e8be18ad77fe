// The campaigns the public archive may show: sent, and not marked sensitive by tracking 'off'.
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
        languages: document.languages,
      };
    });
    return { entries, total: Number(count.n) };
  }

  /** The campaign if the archive may show it, else undefined (unknown, not sent, or sensitive). */
  async sentCampaign(id: number): Promise<ArchivedCampaign | undefined> {
    const row = await this.archived()
      .select(['campaigns.id', 'campaigns.bulletin_version_id', 'campaigns.finished_at'])
      .where('campaigns.id', '=', id)
      .executeTakeFirst();
    return row && { id: row.id, bulletinVersionId: row.bulletin_version_id, finishedAt: row.finished_at! };
  }

  /**
   * Tracking 'off' is how staff mark a sensitive send, so those campaigns stay off the public web;
   * only 'aggregate' is listed, so a tracking mode added later is private until decided otherwise.
   * A sent campaign always has finished_at; the check keeps the ordering the same on both databases
   * (they sort NULLs at opposite ends).
   */
  private archived() {
    return this.db
      .selectFrom('campaigns')
      .where('campaigns.state', '=', 'sent')
      .where('campaigns.tracking', '=', 'aggregate')
      .where('campaigns.finished_at', 'is not', null);
  }
}

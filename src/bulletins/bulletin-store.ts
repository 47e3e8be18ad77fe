// Bulletins and their versions. Every save adds a version; the bulletin row points at the
// current one. Versions are never changed, so a send can pin one.
import type { Kysely } from 'kysely';
import { type JsonColumn, nowIso, parseJson, type Tables } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { BulletinDocument } from './document.js';
import type { Bulletin, BulletinSummary, BulletinVersion } from './schemas.js';

export class BulletinStore {
  constructor(private readonly db: Kysely<Tables>) {}

  /** Saves `document` as version 1 of a new bulletin; `savedBy` as in save(). */
  async create(document: BulletinDocument, savedBy: string | null = null): Promise<Bulletin> {
    const id = await this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const row = await trx
        .insertInto('bulletins')
        .values({ title: document.title, current_version: 1, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('bulletin_versions')
        .values({
          bulletin_id: row.id,
          version: 1,
          document: JSON.stringify(document),
          saved_by: savedBy,
          created_at: now,
        })
        .execute();
      return row.id;
    });
    return this.get(id);
  }

  async get(id: number): Promise<Bulletin> {
    const row = await this.db
      .selectFrom('bulletins')
      .innerJoin('bulletin_versions', (join) =>
        join
          .onRef('bulletin_versions.bulletin_id', '=', 'bulletins.id')
          .onRef('bulletin_versions.version', '=', 'bulletins.current_version'),
      )
      .select([
        'bulletins.id',
        'bulletins.title',
        'bulletins.current_version',
        'bulletins.created_at',
        'bulletins.updated_at',
        'bulletin_versions.id as version_id',
        'bulletin_versions.document',
      ])
      .where('bulletins.id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound(id);
    return {
      id: row.id,
      title: row.title,
      version: row.current_version,
      versionId: row.version_id,
      document: parseJson<BulletinDocument>(row.document),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async list(): Promise<BulletinSummary[]> {
    const rows = await this.db
      .selectFrom('bulletins')
      .innerJoin('bulletin_versions', (join) =>
        join
          .onRef('bulletin_versions.bulletin_id', '=', 'bulletins.id')
          .onRef('bulletin_versions.version', '=', 'bulletins.current_version'),
      )
      .select([
        'bulletins.id',
        'bulletins.title',
        'bulletins.current_version',
        'bulletins.created_at',
        'bulletins.updated_at',
        'bulletin_versions.document',
      ])
      .orderBy('bulletins.updated_at', 'desc')
      .orderBy('bulletins.id', 'desc')
      .execute();
    return rows.map((row) => {
      const document = parseJson<BulletinDocument>(row.document);
      return {
        id: row.id,
        title: row.title,
        version: row.current_version,
        languages: document.languages,
        blocks: document.blocks.length,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      };
    });
  }

  async count(): Promise<number> {
    const { n } = await this.db
      .selectFrom('bulletins')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  /**
   * Saves `document` as the next version. `savedBy` names who saved it ("ana@example.org",
   * "token: ci-bot"); only code that acts for no one (tests, fixtures) leaves it out. With
   * `baseVersion` (the version the change was made on) it saves only while that is still the
   * current version, and otherwise throws a `conflict` carrying the current version (`current`).
   */
  async save(
    id: number,
    document: BulletinDocument,
    savedBy: string | null = null,
    baseVersion?: number,
  ): Promise<Bulletin> {
    const saved = await this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      // Check and write in one statement: on PostgreSQL a concurrent save waits for this row's
      // lock and then finds the version moved on; SQLite runs one write transaction at a time.
      const row = await trx
        .updateTable('bulletins')
        .set((eb) => ({ title: document.title, current_version: eb('current_version', '+', 1), updated_at: now }))
        .where('id', '=', id)
        .$if(baseVersion !== undefined, (qb) => qb.where('current_version', '=', baseVersion!))
        .returning('current_version')
        .executeTakeFirst();
      if (!row) return undefined;
      await trx
        .insertInto('bulletin_versions')
        .values({
          bulletin_id: id,
          version: row.current_version,
          document: JSON.stringify(document),
          saved_by: savedBy,
          created_at: now,
        })
        .execute();
      return row;
    });
    if (saved) return this.get(id);
    const current = await this.get(id);
    const version = await this.versionOf(id, current.versionId);
    throw new AppError(
      'conflict',
      `Bulletin ${id} was saved as version ${current.version} after version ${baseVersion}, the one this change ` +
        'was made on; merge the two and save again with the current version as the base',
      undefined,
      { current: version },
    );
  }

  /** One stored version's document, as a send pinned it. */
  async version(versionId: number): Promise<BulletinDocument> {
    const row = await this.db
      .selectFrom('bulletin_versions')
      .select('document')
      .where('id', '=', versionId)
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', `No bulletin version with id ${versionId}`);
    return parseJson<BulletinDocument>(row.document);
  }

  /** One of the bulletin's versions with its document, to look at or restore. */
  async versionOf(id: number, versionId: number): Promise<BulletinVersion> {
    const row = await this.db
      .selectFrom('bulletin_versions')
      .select(['id', 'version', 'document', 'saved_by', 'created_at'])
      .where('id', '=', versionId)
      .where('bulletin_id', '=', id)
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', `Bulletin ${id} has no version with id ${versionId}`);
    return toVersion(row);
  }

  /** Every version of the bulletin with its document, oldest first. */
  async versions(id: number): Promise<BulletinVersion[]> {
    return this.versionsAfter(id, 0);
  }

  /** The versions saved after version `after`, oldest first. */
  async versionsAfter(id: number, after: number): Promise<BulletinVersion[]> {
    await this.get(id);
    const rows = await this.db
      .selectFrom('bulletin_versions')
      .select(['id', 'version', 'document', 'saved_by', 'created_at'])
      .where('bulletin_id', '=', id)
      .where('version', '>', after)
      .orderBy('version', 'asc')
      .execute();
    return rows.map(toVersion);
  }

  /** A bulletin that has been sent, or is scheduled, stays: its campaigns point at its versions. */
  async delete(id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const campaign = await trx.selectFrom('campaigns').select('id').where('bulletin_id', '=', id).executeTakeFirst();
      if (campaign)
        throw new AppError(
          'conflict',
          `Bulletin ${id} has campaigns (campaign ${campaign.id}); duplicate it instead of deleting it`,
        );
      const result = await trx.deleteFrom('bulletins').where('id', '=', id).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw notFound(id);
    });
  }
}

function toVersion(row: {
  id: number;
  version: number;
  document: JsonColumn;
  saved_by: string | null;
  created_at: string;
}): BulletinVersion {
  const document = parseJson<BulletinDocument>(row.document);
  return {
    version: row.version,
    versionId: row.id,
    title: document.title,
    createdAt: row.created_at,
    savedBy: row.saved_by,
    document,
  };
}

function notFound(id: number): AppError {
  return new AppError('not_found', `No bulletin with id ${id}`);
}

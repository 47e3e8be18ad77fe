// The media library's rows, and its files through the media store: an image is added once (its 1x
// file's content hash names it), listed with where it is used, and deleted only when nothing uses it.
import { sql, type Kysely, type Selectable } from 'kysely';
import { LIVE_CAMPAIGN_STATES, nowIso, type MediaTable, type Tables } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { Author } from '../library/schemas.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { ProcessedImage } from './image-processing.js';
import { type MediaFiles, mediaNames } from './media-files.js';
import type { MediaItem, MediaUse } from './schemas.js';

/** The most of an uploaded file's name kept for display. */
export const ORIGINAL_NAME_MAX = 200;

/** The hash that names an image's files: what a document, a campaign or the logo mentions. */
const hashOf = (row: Pick<Selectable<MediaTable>, 'name'>) => row.name.slice(0, 64);

export class MediaStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly files: MediaFiles,
    private readonly settings: SettingsStore,
  ) {}

  /**
   * Stores a processed image, or answers the one already stored under the same name (`created`
   * false): the same 1x bytes are the same image, kept once whoever uploads it again.
   */
  async add(
    image: ProcessedImage,
    originalName: string,
    author: Author,
  ): Promise<{ item: MediaItem; created: boolean }> {
    const names = mediaNames(image.one.bytes, image.ext);
    const existing = await this.row(names.one);
    if (existing) return { item: await this.itemOf(existing), created: false };
    // Files first: a row never names a file that is not there. Putting a name twice changes nothing.
    await this.files.put(names.one, image.one.bytes, image.contentType);
    await this.files.put(names.two, image.two.bytes, image.contentType);
    const inserted = await this.db
      .insertInto('media')
      .values({
        name: names.one,
        name2x: names.two,
        type: image.type,
        width: image.one.width,
        height: image.one.height,
        bytes: image.one.bytes.length,
        bytes2x: image.two.bytes.length,
        original_name: originalName.trim().slice(0, ORIGINAL_NAME_MAX),
        created_by_kind: author.kind,
        created_by: author.name,
        created_at: nowIso(),
      })
      // Two uploads of the same image at once: the second finds the first's row.
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('id')
      .executeTakeFirst();
    const row = await this.row(names.one);
    if (!row) throw new Error(`media row ${names.one} vanished after its insert`);
    return { item: await this.itemOf(row), created: inserted !== undefined };
  }

  /** Newest first, each with where it is used. */
  async list(): Promise<MediaItem[]> {
    const rows = await this.db.selectFrom('media').selectAll().orderBy('id', 'desc').execute();
    const [uses, logo] = await Promise.all([this.uses(), this.logoUrl()]);
    return rows.map((row) => this.toItem(row, uses.get(row.id) ?? [], logo));
  }

  async get(id: number): Promise<MediaItem> {
    const row = await this.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(id);
    return this.itemOf(row);
  }

  /**
   * Removes the image's row and both its files, unless something shows it: a bulletin (sent or
   * not, as its first use says) or the settings' logo. Answers the image as it was.
   */
  async delete(id: number): Promise<MediaItem> {
    const item = await this.get(id);
    const [use] = item.usedBy.filter((u) => u.sent).concat(item.usedBy);
    if (use?.sent) {
      throw new AppError('conflict', `Used by the sent bulletin “${use.title}”; sent mail and the archive show it`);
    }
    if (use) throw new AppError('conflict', `Used by the bulletin “${use.title}”; take it out of the bulletin first`);
    if (item.usedAsLogo) throw new AppError('conflict', "Used as the organisation's logo; change the logo first");
    const row = (await this.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst())!;
    await this.db.deleteFrom('media').where('id', '=', id).execute();
    // The row goes first: a file without a row is only space, a row without its file a broken image.
    await this.files.delete(row.name);
    await this.files.delete(row.name2x);
    return item;
  }

  private row(name: string): Promise<Selectable<MediaTable> | undefined> {
    return this.db.selectFrom('media').selectAll().where('name', '=', name).executeTakeFirst();
  }

  private async itemOf(row: Selectable<MediaTable>): Promise<MediaItem> {
    const [uses, logo] = await Promise.all([this.uses(row.id), this.logoUrl()]);
    return this.toItem(row, uses.get(row.id) ?? [], logo);
  }

  private async logoUrl(): Promise<string> {
    return (await this.settings.get()).logoUrl;
  }

  /**
   * Per image (one, or all), the bulletins that show it: by the document each has now, by the
   * document of each campaign that has started (sent mail, the archive page rendered from it) or
   * may still start, and by the logo each campaign started with (0023-campaign-logo). A sent
   * campaign's document counts even when the bulletin changed since; the archive pages are
   * rendered from that same document, so it speaks for them. A document names an image by its
   * address, which holds the hash: a LIKE on the JSON finds it.
   */
  private async uses(mediaId?: number): Promise<Map<number, MediaUse[]>> {
    const live = sql.join(LIVE_CAMPAIGN_STATES.map((state) => sql.lit(state)));
    const { rows } = await sql<{ media_id: number; bulletin_id: number; title: string; sent: number | string }>`
      select m.id as media_id, d.bulletin_id, d.title, max(d.sent) as sent
      from media m
      join (
        select b.id as bulletin_id, b.title, cast(v.document as text) as doc, 0 as sent
        from bulletins b
        join bulletin_versions v on v.bulletin_id = b.id and v.version = b.current_version
        union all
        select b.id, b.title, cast(v.document as text), case when c.started_at is null then 0 else 1 end
        from campaigns c
        join bulletin_versions v on v.id = c.bulletin_version_id
        join bulletins b on b.id = c.bulletin_id
        where c.started_at is not null or c.state in (${live})
        union all
        select b.id, b.title, c.logo_url, 1
        from campaigns c
        join bulletins b on b.id = c.bulletin_id
        where c.logo_url is not null and c.logo_url <> ''
      ) d on d.doc like '%' || substr(m.name, 1, 64) || '%'
      ${mediaId === undefined ? sql`` : sql`where m.id = ${mediaId}`}
      group by m.id, d.bulletin_id, d.title
      order by d.bulletin_id`.execute(this.db);
    const uses = new Map<number, MediaUse[]>();
    for (const row of rows) {
      const list = uses.get(row.media_id) ?? [];
      list.push({ bulletinId: row.bulletin_id, title: row.title, sent: Number(row.sent) === 1 });
      uses.set(row.media_id, list);
    }
    return uses;
  }

  private toItem(row: Selectable<MediaTable>, usedBy: MediaUse[], logoUrl: string): MediaItem {
    return {
      id: row.id,
      url: this.files.url(row.name),
      url2x: this.files.url(row.name2x),
      type: row.type,
      width: row.width,
      height: row.height,
      bytes: row.bytes,
      bytes2x: row.bytes2x,
      name: row.original_name,
      createdBy: { kind: row.created_by_kind, name: row.created_by },
      createdAt: row.created_at,
      usedBy,
      usedAsLogo: logoUrl !== '' && logoUrl.includes(hashOf(row)),
    };
  }
}

function notFound(id: number): AppError {
  return new AppError('not_found', `No image with id ${id}`);
}

// The library's rows: blocks and templates saved by name. Both are copied into bulletins, never
// linked: a bulletin made from the library does not change when its library item later does.
import type { Kysely, Selectable } from 'kysely';
import { nowIso, parseJson, type LibraryItemsTable, type Tables } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { Author } from './schemas.js';

export type LibraryKind = LibraryItemsTable['kind'];

/** A saved block or template, its content as stored (a Block or a BulletinDocument). */
export interface LibraryItem<T> {
  id: number;
  name: string;
  content: T;
  createdBy: Author;
  createdAt: string;
  updatedAt: string;
}

const NOUN: Record<LibraryKind, string> = { block: 'library block', template: 'template' };

export class LibraryStore {
  constructor(private readonly db: Kysely<Tables>) {}

  /** Alphabetical, as staff look for an item by its name. */
  async list<T>(kind: LibraryKind): Promise<LibraryItem<T>[]> {
    const rows = await this.db
      .selectFrom('library_items')
      .selectAll()
      .where('kind', '=', kind)
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map((row) => itemOf<T>(row));
  }

  async get<T>(kind: LibraryKind, id: number): Promise<LibraryItem<T>> {
    const row = await this.db
      .selectFrom('library_items')
      .selectAll()
      .where('kind', '=', kind)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound(kind, id);
    return itemOf<T>(row);
  }

  async create<T>(kind: LibraryKind, name: string, content: T, author: Author): Promise<LibraryItem<T>> {
    const now = nowIso();
    const { id } = await this.db
      .insertInto('library_items')
      .values({
        kind,
        name,
        content: JSON.stringify(content),
        created_by_kind: author.kind,
        created_by: author.name,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return this.get(kind, id);
  }

  async update<T>(kind: LibraryKind, id: number, change: { name?: string; content?: T }): Promise<LibraryItem<T>> {
    const result = await this.db
      .updateTable('library_items')
      .set({
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.content !== undefined ? { content: JSON.stringify(change.content) } : {}),
        updated_at: nowIso(),
      })
      .where('kind', '=', kind)
      .where('id', '=', id)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw notFound(kind, id);
    return this.get(kind, id);
  }

  async delete(kind: LibraryKind, id: number): Promise<void> {
    const result = await this.db
      .deleteFrom('library_items')
      .where('kind', '=', kind)
      .where('id', '=', id)
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) throw notFound(kind, id);
  }
}

function itemOf<T>(row: Selectable<LibraryItemsTable>): LibraryItem<T> {
  return {
    id: row.id,
    name: row.name,
    content: parseJson<T>(row.content),
    createdBy: { kind: row.created_by_kind, name: row.created_by },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function notFound(kind: LibraryKind, id: number): AppError {
  return new AppError('not_found', `No ${NOUN[kind]} with id ${id}`);
}

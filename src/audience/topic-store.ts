// Topics people subscribe to, keyed by a short stable key (the CSV and bulletins use the key).
import type { Kysely, Selectable } from 'kysely';
import { isUniqueViolation } from '../db/errors.js';
import { nowIso, parseJson, type Tables, type TopicsTable } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { Topic, TopicInput, TopicPatch } from './schemas.js';

export class TopicStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async create(input: TopicInput): Promise<Topic> {
    const now = nowIso();
    try {
      const row = await this.db
        .insertInto('topics')
        .values({
          key: input.key,
          name: JSON.stringify(input.name),
          description: JSON.stringify(input.description ?? {}),
          public: input.public ? 1 : 0,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toTopic(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('conflict', `A topic with key "${input.key}" already exists`);
      throw err;
    }
  }

  async list(): Promise<Topic[]> {
    const rows = await this.db.selectFrom('topics').selectAll().orderBy('key').execute();
    return rows.map(toTopic);
  }

  async get(key: string): Promise<Topic> {
    const topic = await this.find(key);
    if (!topic) throw notFound(key);
    return topic;
  }

  async find(key: string): Promise<Topic | undefined> {
    const row = await this.db.selectFrom('topics').selectAll().where('key', '=', key).executeTakeFirst();
    return row && toTopic(row);
  }

  async update(key: string, patch: TopicPatch): Promise<Topic> {
    const row = await this.db
      .updateTable('topics')
      .set({
        ...(patch.name ? { name: JSON.stringify(patch.name) } : {}),
        ...(patch.description ? { description: JSON.stringify(patch.description) } : {}),
        ...(patch.public !== undefined ? { public: patch.public ? 1 : 0 } : {}),
        updated_at: nowIso(),
      })
      .where('key', '=', key)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(key);
    return toTopic(row);
  }

  /** Deleting a topic removes its subscriptions, never the subscribers. */
  async delete(key: string): Promise<void> {
    const result = await this.db.deleteFrom('topics').where('key', '=', key).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw notFound(key);
  }
}

function notFound(key: string): AppError {
  return new AppError('not_found', `No topic with key "${key}"`);
}

function toTopic(row: Selectable<TopicsTable>): Topic {
  return {
    key: row.key,
    name: parseJson(row.name),
    description: parseJson(row.description),
    public: row.public === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

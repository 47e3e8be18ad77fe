// What a segment rule may read of subscribers, read for many at once: the rows a block's audience
// is evaluated on at send (a batch's readers) and in the preview (one subscriber).
import type { Kysely } from 'kysely';
import { parseJson, type Tables } from '../db/schema.js';
import type { RuleReader } from './rule-evaluator.js';

/**
 * The subscribers' rows as a rule reads them, by id, in three queries whatever their number: the
 * rows, their tags, the keys of their topics. A subscriber erased meanwhile is missing. Read at
 * each batch, so a tag added during a send counts from the next batch.
 */
export async function ruleReaders(db: Kysely<Tables>, ids: readonly number[]): Promise<Map<number, RuleReader>> {
  if (ids.length === 0) return new Map();
  const [rows, tags, topics] = await Promise.all([
    db
      .selectFrom('subscribers')
      .select(['id', 'email', 'language', 'created_at', 'attributes'])
      .where('id', 'in', ids)
      .execute(),
    db.selectFrom('subscriber_tags').select(['subscriber_id', 'tag']).where('subscriber_id', 'in', ids).execute(),
    db
      .selectFrom('subscriptions')
      .innerJoin('topics', 'topics.id', 'subscriptions.topic_id')
      .select(['subscriptions.subscriber_id', 'topics.key'])
      .where('subscriptions.subscriber_id', 'in', ids)
      .execute(),
  ]);
  const readers = new Map<number, RuleReader & { tags: Set<string>; topics: Set<string> }>();
  for (const row of rows) {
    readers.set(row.id, {
      language: row.language,
      email: row.email,
      createdAt: row.created_at,
      tags: new Set(),
      topics: new Set(),
      attributes: parseJson<Record<string, unknown> | null>(row.attributes) ?? {},
    });
  }
  for (const { subscriber_id, tag } of tags) readers.get(subscriber_id)?.tags.add(tag);
  for (const { subscriber_id, key } of topics) readers.get(subscriber_id)?.topics.add(key);
  return readers;
}

/**
 * A made-up reader for the preview: the tags and language staff chose, following the bulletin's
 * topic, with no attributes, subscribed now.
 */
export function sampleReader(tags: readonly string[], language: string, topic: string | undefined): RuleReader {
  return {
    language,
    email: 'reader@example.org',
    createdAt: new Date().toISOString(),
    tags: new Set(tags),
    topics: new Set(topic ? [topic] : []),
    attributes: {},
  };
}

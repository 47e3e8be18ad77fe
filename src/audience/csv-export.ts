// Streams subscribers out as CSV in the columns an import reads back.
import { pipeline } from 'node:stream/promises';
import { Readable, type Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { SubscriberQuery } from './schemas.js';
import type { SubscriberStore } from './subscriber-store.js';

export const EXPORT_COLUMNS = [
  'email',
  'name',
  'language',
  'status',
  'topics',
  'tags',
  'created_at',
  'attributes',
] as const;

/** Answers how many subscribers it wrote, for the audit trail. */
export async function exportSubscribers(
  store: SubscriberStore,
  filter: SubscriberQuery,
  out: Writable,
): Promise<number> {
  let rows = 0;
  const records = Readable.from(
    (async function* () {
      for await (const s of store.exportAll(filter)) {
        rows++;
        yield [
          s.email,
          s.name,
          s.language,
          s.status,
          s.topics.join(';'),
          s.tags.join(';'),
          s.createdAt,
          JSON.stringify(s.attributes),
        ];
      }
    })(),
  );
  await pipeline(records, stringify({ header: true, columns: [...EXPORT_COLUMNS], escape_formulas: true }), out);
  return rows;
}

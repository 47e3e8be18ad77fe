// Saved segments: a name and a rule, reused across sends.
import type { Kysely, Selectable } from 'kysely';
import { LIVE_CAMPAIGN_STATES, nowIso, parseJson, type SegmentsTable, type Tables } from '../db/schema.js';
import { AppError } from '../errors.js';
import { RULE_VERSION, type Rule, type Segment } from './rules.js';

export class SegmentStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async create(input: { name: string; rule: Rule }): Promise<Segment> {
    const now = nowIso();
    const row = await this.db
      .insertInto('segments')
      .values({
        name: input.name,
        rule: JSON.stringify(input.rule),
        rule_version: RULE_VERSION,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSegment(row);
  }

  async list(): Promise<Segment[]> {
    return (await this.db.selectFrom('segments').selectAll().orderBy('name').orderBy('id').execute()).map(toSegment);
  }

  async get(id: number): Promise<Segment> {
    const row = await this.db.selectFrom('segments').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(id);
    return toSegment(row);
  }

  async update(id: number, patch: { name?: string | undefined; rule?: Rule | undefined }): Promise<Segment> {
    const row = await this.db
      .updateTable('segments')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.rule !== undefined ? { rule: JSON.stringify(patch.rule), rule_version: RULE_VERSION } : {}),
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(id);
    return toSegment(row);
  }

  /** A segment a send still waits on or is running with cannot go; one whose sends are over can. */
  async delete(id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const live = await trx
        .selectFrom('campaigns')
        .select('id')
        .where('segment_id', '=', id)
        .where('state', 'in', LIVE_CAMPAIGN_STATES)
        .execute();
      if (live.length) {
        throw new AppError(
          'conflict',
          `Segment ${id} is used by campaign ${live.map((c) => c.id).join(', ')}, which has not finished; ` +
            'cancel it or wait',
        );
      }
      const result = await trx.deleteFrom('segments').where('id', '=', id).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw notFound(id);
    });
  }
}

function notFound(id: number): AppError {
  return new AppError('not_found', `No segment with id ${id}`);
}

function toSegment(row: Selectable<SegmentsTable>): Segment {
  return {
    id: row.id,
    name: row.name,
    rule: parseJson<Rule>(row.rule),
    ruleVersion: row.rule_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

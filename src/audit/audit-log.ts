// The audit trail's one owner: records who did what, lists it for admins, and forgets entries
// past the retention time. Who is kept by name as well as id, so an entry stays readable once
// the staff member or the token is gone. Details never carry a subscriber's address: an erasure
// names the subscriber's id only, an export its filter and row count.
import type { Kysely, Selectable } from 'kysely';
import { type AuditEventsTable, nowIso, parseJson, type Tables } from '../db/schema.js';
import type { Auth } from '../http/api-routes.js';
import type { AuditAction } from './audit-actions.js';
import type { AuditActor, AuditDetails, AuditEntry, AuditFilter, AuditPage, AuditTarget } from './schemas.js';

/** Who is asking, as the trail records them. */
export function actorOf(auth: Auth): AuditActor {
  return auth.kind === 'session'
    ? { kind: 'staff', id: auth.staffId, name: auth.email }
    : { kind: 'token', id: auth.tokenId, name: auth.name };
}

export const ANONYMOUS: AuditActor = { kind: 'anonymous', id: null, name: 'anonymous' };

export interface AuditRecord {
  actor: AuditActor;
  action: AuditAction;
  target?: AuditTarget;
  details?: AuditDetails;
}

/** What the routes that record need: it never fails the action (see bestEffort). */
export interface AuditRecorder {
  record(entry: AuditRecord): Promise<void>;
}

export class AuditLog {
  constructor(private readonly db: Kysely<Tables>) {}

  async record({ actor, action, target, details = {} }: AuditRecord, at = nowIso()): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        at,
        actor_kind: actor.kind,
        actor_id: actor.id,
        actor_name: actor.name,
        action,
        target_type: target?.type ?? null,
        target_id: target?.id ?? null,
        details: JSON.stringify(details),
      })
      .execute();
  }

  /** Newest first, a page at a time: `next` is the cursor of the following (older) page. */
  async list(filter: AuditFilter): Promise<AuditPage> {
    let query = this.db.selectFrom('audit_events').selectAll();
    if (filter.staffId !== undefined)
      query = query.where('actor_kind', '=', 'staff').where('actor_id', '=', filter.staffId);
    if (filter.tokenId !== undefined)
      query = query.where('actor_kind', '=', 'token').where('actor_id', '=', filter.tokenId);
    if (filter.action !== undefined) query = query.where('action', '=', filter.action);
    if (filter.from !== undefined) query = query.where('at', '>=', new Date(filter.from).toISOString());
    if (filter.to !== undefined) query = query.where('at', '<', new Date(filter.to).toISOString());
    if (filter.before !== undefined) query = query.where('id', '<', filter.before);
    // One row more than asked says whether there is a next page.
    const rows = await query
      .orderBy('id', 'desc')
      .limit(filter.limit + 1)
      .execute();
    const data = rows.slice(0, filter.limit).map(entryOf);
    return { data, next: rows.length > filter.limit ? data.at(-1)!.id : null };
  }

  /** Everything recorded about one target, oldest first (a campaign's "scheduled by …, paused by …"). */
  async historyOf(target: AuditTarget): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target_type', '=', target.type)
      .where('target_id', target.id === null ? 'is' : '=', target.id)
      .orderBy('id')
      .execute();
    return rows.map(entryOf);
  }

  /** Forgets the entries older than `days`; answers how many went. */
  async prune(days: number, now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - days * 86_400_000).toISOString();
    const result = await this.db.deleteFrom('audit_events').where('at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/**
 * The trail as the routes use it. An entry is written after the action succeeded, outside its
 * transaction (the stores own theirs): a failed write is logged and never undoes or fails what
 * was done.
 */
export function bestEffort(log: AuditLog, onError: (err: unknown, entry: AuditRecord) => void): AuditRecorder {
  return {
    async record(entry) {
      try {
        await log.record(entry);
      } catch (err) {
        onError(err, entry);
      }
    },
  };
}

function entryOf(row: Selectable<AuditEventsTable>): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
    action: row.action as AuditAction,
    target: row.target_type === null ? null : { type: row.target_type as AuditTarget['type'], id: row.target_id },
    details: parseJson<AuditDetails>(row.details),
  };
}

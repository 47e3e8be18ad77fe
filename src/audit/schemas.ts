// The audit trail's API shapes: an entry, the list's filters and its page. The store, the route
// and the staff app (with `import type`) take their types from here.
import { z } from 'zod';
import { IdText } from '../http/api-routes.js';
import { AUDIT_ACTIONS, AUDIT_ACTOR_KINDS, AUDIT_TARGET_TYPES } from './audit-actions.js';

export const AuditAction = z.enum(AUDIT_ACTIONS);

export const AuditActor = z
  .object({
    kind: z.enum(AUDIT_ACTOR_KINDS),
    id: z.number().nullable().describe("The staff member's or the API token's id; null for anonymous"),
    name: z
      .string()
      .describe('The staff member\'s email or the token\'s name when it happened; "anonymous" for no account'),
  })
  .describe('Who did it');
export type AuditActor = z.infer<typeof AuditActor>;

export const AuditTarget = z.object({
  type: z.enum(AUDIT_TARGET_TYPES),
  id: z.number().nullable().describe('null for the settings, which are one'),
});
export type AuditTarget = z.infer<typeof AuditTarget>;

/** A small JSON object: which fields changed, the export's filter and row count, a campaign's audience. */
export const AuditDetails = z.record(z.string(), z.unknown());
export type AuditDetails = z.infer<typeof AuditDetails>;

export const AuditEntry = z.object({
  id: z.number(),
  at: z.string(),
  actor: AuditActor,
  action: AuditAction,
  target: AuditTarget.nullable(),
  details: AuditDetails,
});
export type AuditEntry = z.infer<typeof AuditEntry>;

const isoTime = z.iso.datetime({
  offset: true,
  error: 'must be an ISO date-time with its zone, such as 2026-12-01T15:00:00Z',
});

export const AUDIT_PAGE_MAX = 200;

export const AuditFilter = z
  .strictObject({
    staffId: IdText.optional().describe("Only what this staff member did (by id, so it survives an email's change)"),
    tokenId: IdText.optional().describe('Only what this API token did'),
    action: AuditAction.optional(),
    from: isoTime.optional().describe('Entries at or after this time'),
    to: isoTime.optional().describe('Entries before this time'),
    before: IdText.optional().describe('Cursor: entries older than this id (the `next` of the previous page)'),
    limit: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be 1 or more')
      .max(AUDIT_PAGE_MAX, `must be at most ${AUDIT_PAGE_MAX}`)
      .default(50),
  })
  .refine((f) => f.staffId === undefined || f.tokenId === undefined, {
    path: ['tokenId'],
    message: 'give staffId or tokenId, not both',
  });
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditPage = z.object({
  data: z.array(AuditEntry).describe('Newest first'),
  next: z.number().nullable().describe('Pass as `before` for the next (older) page; null on the last'),
});
export type AuditPage = z.infer<typeof AuditPage>;

// /api/audience/preview, /api/segments and /api/suppressions.
import { z } from 'zod';
import { defineRoute, Id, idParams, type RouteSpec } from '../http/api-routes.js';
import type { AudienceBlock, AudienceStore } from './audience-store.js';
import { RuleSchema, Segment } from './rules.js';
import { AudiencePreviewWithBlocks, Email, Suppression, SuppressionPage, TopicKey } from './schemas.js';
import type { SegmentStore } from './segment-store.js';
import type { SubscriberStore } from './subscriber-store.js';
import type { SuppressionList } from './suppressions.js';

const PreviewInput = z
  .strictObject({
    rule: RuleSchema.optional(),
    segmentId: Id.optional(),
    topic: TopicKey.optional().describe(
      'Only subscribers of this topic are eligible (a bulletin with a topic sends to its subscribers only)',
    ),
    bulletinId: Id.optional().describe(
      'Also count, for each block of this bulletin that has an audience, how many of the eligible readers see it',
    ),
  })
  .refine((body) => (body.rule === undefined) !== (body.segmentId === undefined), 'must give either rule or segmentId');

const SegmentInput = z.strictObject({ name: z.string().trim().min(1, 'must not be empty').max(200), rule: RuleSchema });
const SegmentPatch = SegmentInput.partial().refine(
  (p) => p.name !== undefined || p.rule !== undefined,
  'must change name or rule',
);

const SuppressionQuery = z.strictObject({
  email: Email.optional().describe('Look up one address'),
  page: z.coerce.number().int().min(1, 'must be 1 or more').default(1),
  perPage: z.coerce.number().int().min(1, 'must be 1 or more').max(500, 'must be at most 500').default(50),
});
const SuppressionInput = z.strictObject({
  email: Email,
  reason: z.enum(['manual', 'bounced', 'complained']).default('manual'),
});

/** A bulletin's blocks, by the bulletin's id; refuses an unknown id with not_found (src/app.ts wires it). */
export type BulletinBlocks = (bulletinId: number) => Promise<readonly AudienceBlock[]>;

export function audienceRoutes(
  audience: AudienceStore,
  segments: SegmentStore,
  suppressions: SuppressionList,
  subscribers: SubscriberStore,
  bulletinBlocks: BulletinBlocks,
): RouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: '/audience/preview',
      tag: 'audience',
      role: 'editor',
      summary:
        'Who a rule or segment reaches, who it leaves out and why, by language, with a sample; ' +
        "with bulletinId, how many of them see each of the bulletin's blocks that has an audience",
      body: PreviewInput,
      response: AudiencePreviewWithBlocks,
      handler: async ({ body }) => {
        // The bulletin first: an unknown one is refused before anything is counted.
        const blocks = body.bulletinId === undefined ? undefined : await bulletinBlocks(body.bulletinId);
        const rule = body.rule ?? (await segments.get(body.segmentId!)).rule;
        const preview = await audience.preview(rule, body.topic);
        return blocks ? { ...preview, blocks: await audience.blockReach(rule, body.topic, blocks) } : preview;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/segments',
      tag: 'segments',
      role: 'writer',
      summary: 'List saved segments',
      response: z.object({ data: z.array(Segment) }),
      handler: async () => ({ data: await segments.list() }),
    }),
    defineRoute({
      method: 'post',
      path: '/segments',
      tag: 'segments',
      role: 'editor',
      summary: 'Save a segment',
      status: 201,
      body: SegmentInput,
      response: Segment,
      handler: ({ body }) => segments.create(body),
    }),
    defineRoute({
      method: 'get',
      path: '/segments/:id',
      tag: 'segments',
      role: 'writer',
      summary: 'Get a segment',
      params: idParams,
      response: Segment,
      handler: ({ params }) => segments.get(params.id),
    }),
    defineRoute({
      method: 'patch',
      path: '/segments/:id',
      tag: 'segments',
      role: 'editor',
      summary: 'Rename a segment or change its rule',
      params: idParams,
      body: SegmentPatch,
      response: Segment,
      handler: ({ params, body }) => segments.update(params.id, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/segments/:id',
      tag: 'segments',
      role: 'editor',
      summary: 'Delete a segment',
      status: 204,
      params: idParams,
      handler: ({ params }) => segments.delete(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/suppressions',
      tag: 'suppressions',
      role: 'editor',
      summary: 'The suppression list (hashes, reasons, times; never addresses)',
      query: SuppressionQuery,
      response: SuppressionPage,
      handler: ({ query }) => suppressions.list(query),
    }),
    defineRoute({
      method: 'post',
      path: '/suppressions',
      tag: 'suppressions',
      role: 'editor',
      summary: 'Put an address on the suppression list: it is never mailed, imported or added again',
      status: 201,
      body: SuppressionInput,
      response: Suppression,
      handler: async ({ body }) => {
        await subscribers.suppress(body.email, body.reason);
        return suppressions.get(body.email);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/suppressions/:hash',
      tag: 'suppressions',
      role: 'admin',
      summary: 'Take an address off the suppression list',
      status: 204,
      params: z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a suppression hash (64 hex digits)') }),
      handler: ({ params }) => suppressions.remove(params.hash),
    }),
  ];
}

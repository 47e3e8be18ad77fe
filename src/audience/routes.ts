// /api/topics and /api/subscribers: parse, one store call, answer.
import { z } from 'zod';
import { actorOf, type AuditRecorder } from '../audit/audit-log.js';
import { AppError } from '../errors.js';
import { defineRoute, idParams, type RouteSpec } from '../http/api-routes.js';
import { tagFromCsv, tagFromList } from './bulk-tags.js';
import type { ConfirmationRequests } from './confirmation-requests.js';
import { exportSubscribers } from './csv-export.js';
import { importSubscribers } from './csv-import.js';
import {
  BulkTagQuery,
  BulkTagReport,
  BulkTagRequest,
  ConfirmationQueued,
  CreatedSubscriber,
  ImportReport,
  Subscriber,
  SubscriberFilter,
  SubscriberInput,
  SubscriberPage,
  SubscriberPatch,
  SubscriberQuery,
  SubscriberWithConsent,
  Topic,
  TopicInput,
  TopicKey,
  TopicPatch,
} from './schemas.js';
import type { SubscriberStore } from './subscriber-store.js';
import type { TopicStore } from './topic-store.js';

const keyParams = z.object({ key: TopicKey });

export function topicRoutes(topics: TopicStore): RouteSpec[] {
  const tag = 'topics';
  return [
    defineRoute({
      method: 'get',
      path: '/topics',
      tag,
      role: 'writer',
      summary: 'List topics',
      response: z.object({ data: z.array(Topic) }),
      handler: async () => ({ data: await topics.list() }),
    }),
    defineRoute({
      method: 'post',
      path: '/topics',
      tag,
      role: 'admin',
      summary: 'Create a topic',
      status: 201,
      body: TopicInput,
      response: Topic,
      handler: ({ body }) => topics.create(body),
    }),
    defineRoute({
      method: 'get',
      path: '/topics/:key',
      tag,
      role: 'writer',
      summary: 'Get a topic',
      params: keyParams,
      response: Topic,
      handler: ({ params }) => topics.get(params.key),
    }),
    defineRoute({
      method: 'patch',
      path: '/topics/:key',
      tag,
      role: 'admin',
      summary: 'Update a topic',
      params: keyParams,
      body: TopicPatch,
      response: Topic,
      handler: ({ params, body }) => topics.update(params.key, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/topics/:key',
      tag,
      role: 'admin',
      summary: 'Delete a topic and its subscriptions',
      status: 204,
      params: keyParams,
      handler: ({ params }) => topics.delete(params.key),
    }),
  ];
}

const ImportQuery = z
  .strictObject({
    status: z
      .enum(['active', 'pending'])
      .default('active')
      .describe('Status of the new subscribers: "active" for a list whose people already consented'),
    confirm: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true')
      .describe('With status=pending: mail each new subscriber the confirmation (queued, within the limits)'),
  })
  .refine((query) => !query.confirm || query.status === 'pending', {
    path: ['confirm'],
    message: 'needs status=pending: an active subscriber has nothing to confirm',
  });

/** The CSV form's tag and action, both needed; the JSON form has them in its body. */
function parseCsvQuery(query: Partial<BulkTagQuery>): BulkTagQuery {
  const parsed = BulkTagQuery.safeParse(query);
  if (!parsed.success) throw AppError.fromZod(parsed.error, 'query');
  return parsed.data;
}

export function subscriberRoutes(
  subscribers: SubscriberStore,
  confirmations: ConfirmationRequests,
  audit: AuditRecorder,
): RouteSpec[] {
  const tag = 'subscribers';
  return [
    defineRoute({
      method: 'get',
      path: '/subscribers',
      tag,
      role: 'editor',
      summary: 'List subscribers, a page at a time',
      query: SubscriberFilter,
      response: SubscriberPage,
      handler: ({ query }) => subscribers.list(query),
    }),
    defineRoute({
      method: 'post',
      path: '/subscribers',
      tag,
      role: 'editor',
      summary: 'Add a subscriber',
      status: 201,
      body: SubscriberInput,
      response: CreatedSubscriber,
      handler: async ({ body }) => {
        const { sendConfirmation, ...input } = body;
        const created = await subscribers.create(input, 'api');
        // Once the subscriber is committed, so the worker finds them.
        if (sendConfirmation) await confirmations.confirm([created.id]);
        return { ...created, confirmationQueued: sendConfirmation };
      },
    }),
    // Declared before /subscribers/:id so "import" and "export" are not taken for ids.
    defineRoute({
      method: 'post',
      path: '/subscribers/import',
      tag,
      role: 'editor',
      summary: 'Import subscribers from CSV (email,name,language,topics,tags and any extra column as an attribute)',
      query: ImportQuery,
      requestContentType: 'text/csv',
      response: ImportReport,
      handler: async ({ query, req }) => {
        if (!req.is('text/csv'))
          throw AppError.invalid([{ path: 'headers.content-type', message: 'must be text/csv' }]);
        return importSubscribers(subscribers, req, query.status, query.confirm ? confirmations : undefined);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/subscribers/tags',
      tag,
      role: 'editor',
      summary:
        'Add a tag to, or remove it from, subscribers by address: JSON {tag, action, emails}, or CSV ' +
        '(?tag=…&action=add|remove; the "email" column, or else the first) for a longer list. No one is created',
      query: BulkTagQuery.partial().describe('For CSV only'),
      body: BulkTagRequest,
      requestContentType: 'text/csv',
      response: BulkTagReport,
      handler: async ({ query, body, req, auth }) => {
        const report = req.is('text/csv')
          ? await tagFromCsv(subscribers, req, parseCsvQuery(query))
          : await tagFromList(subscribers, body);
        const { errors: _, ...counts } = report;
        // The tag and the counts: never the addresses.
        await audit.record({ actor: actorOf(auth), action: 'subscribers_tagged', details: counts });
        return report;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/subscribers/export',
      tag,
      role: 'admin',
      summary: 'Export subscribers as CSV',
      query: SubscriberQuery,
      responseContentType: 'text/csv',
      handler: async ({ query, res, auth }) => {
        res.type('text/csv; charset=utf-8').attachment('subscribers.csv');
        const rows = await exportSubscribers(subscribers, query, res);
        // The filter as given (an address fragment too, when one was used): what the export took.
        await audit.record({ actor: actorOf(auth), action: 'subscribers_exported', details: { filter: query, rows } });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/subscribers/:id',
      tag,
      role: 'editor',
      summary: 'Get a subscriber with their consent history',
      params: idParams,
      response: SubscriberWithConsent,
      handler: ({ params }) => subscribers.get(params.id),
    }),
    defineRoute({
      method: 'patch',
      path: '/subscribers/:id',
      tag,
      role: 'editor',
      summary: 'Update a subscriber',
      params: idParams,
      body: SubscriberPatch,
      response: Subscriber,
      handler: ({ params, body }) => subscribers.update(params.id, body, 'api'),
    }),
    defineRoute({
      method: 'post',
      path: '/subscribers/:id/confirmation',
      tag,
      role: 'editor',
      summary: 'Mail a pending subscriber their confirmation again (queued, within the limits of the subscribe form)',
      status: 202,
      params: idParams,
      response: ConfirmationQueued,
      handler: async ({ params, auth }) => {
        const { status } = await subscribers.get(params.id);
        if (status !== 'pending')
          throw new AppError(
            'conflict',
            `This subscriber is ${status}: only a pending subscriber has something to confirm`,
          );
        await confirmations.confirm([params.id]);
        await audit.record({
          actor: actorOf(auth),
          action: 'confirmation_resent',
          target: { type: 'subscriber', id: params.id },
        });
        return { confirmationQueued: true as const };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/subscribers/:id',
      tag,
      role: 'admin',
      status: 204,
      summary: 'Erase a subscriber: personal data removed, a hash kept on the suppression list',
      params: idParams,
      handler: async ({ params, auth }) => {
        await subscribers.erase(params.id);
        // The id only: the erased address must not live on here.
        await audit.record({
          actor: actorOf(auth),
          action: 'subscriber_erased',
          target: { type: 'subscriber', id: params.id },
        });
      },
    }),
  ];
}

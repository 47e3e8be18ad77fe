// /api/webhooks: the endpoints events go to, their delivery logs and test events; admins only.
import { z } from 'zod';
import { actorOf, type AuditRecorder } from '../audit/audit-log.js';
import { AppError } from '../errors.js';
import { defineRoute, idParams, type RouteSpec } from '../http/api-routes.js';
import { endpointUrlProblem } from './endpoint-url.js';
import {
  CreatedWebhookEndpoint,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointChange,
  WebhookEndpointInput,
} from './schemas.js';
import type { WebhookQueue } from './webhook-queue.js';
import type { WebhookStore } from './webhook-store.js';

export interface WebhookRouteDeps {
  /** Where a test event's delivery is queued. */
  queue: WebhookQueue;
  /** NODE_ENV=production: endpoints must be https and public. */
  production: boolean;
}

export function webhookRoutes(webhooks: WebhookStore, deps: WebhookRouteDeps, audit: AuditRecorder): RouteSpec[] {
  const tag = 'webhooks';
  const checkUrl = (url: string | undefined) => {
    const problem = url === undefined ? undefined : endpointUrlProblem(url, deps.production);
    if (problem) throw AppError.invalid([{ path: 'url', message: problem }]);
  };
  return [
    defineRoute({
      method: 'get',
      path: '/webhooks',
      tag,
      role: 'admin',
      summary: 'List the webhook endpoints',
      response: z.object({ data: z.array(WebhookEndpoint) }),
      handler: async () => ({ data: await webhooks.list() }),
    }),
    defineRoute({
      method: 'post',
      path: '/webhooks',
      tag,
      role: 'admin',
      summary: 'Add a webhook endpoint; its signing secret is in this answer only',
      status: 201,
      body: WebhookEndpointInput,
      response: CreatedWebhookEndpoint,
      handler: async ({ body, auth }) => {
        checkUrl(body.url);
        const { endpoint, secret } = await webhooks.create(body);
        await audit.record({
          actor: actorOf(auth),
          action: 'webhook_created',
          target: { type: 'webhook', id: endpoint.id },
          details: { host: hostOf(endpoint), events: endpoint.events },
        });
        return { ...endpoint, secret };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/webhooks/:id',
      tag,
      role: 'admin',
      summary: 'Get a webhook endpoint',
      params: idParams,
      response: WebhookEndpoint,
      handler: ({ params }) => webhooks.get(params.id),
    }),
    defineRoute({
      method: 'patch',
      path: '/webhooks/:id',
      tag,
      role: 'admin',
      summary: 'Change a webhook endpoint, or disable or enable it',
      params: idParams,
      body: WebhookEndpointChange,
      response: WebhookEndpoint,
      handler: async ({ params, body, auth }) => {
        checkUrl(body.url);
        const endpoint = await webhooks.update(params.id, body);
        await audit.record({
          actor: actorOf(auth),
          action: 'webhook_changed',
          target: { type: 'webhook', id: endpoint.id },
          details: { host: hostOf(endpoint), changed: Object.keys(body), enabled: endpoint.enabled },
        });
        return endpoint;
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/webhooks/:id',
      tag,
      role: 'admin',
      summary: 'Delete a webhook endpoint and its delivery log',
      params: idParams,
      status: 204,
      handler: async ({ params, auth }) => {
        const endpoint = await webhooks.delete(params.id);
        await audit.record({
          actor: actorOf(auth),
          action: 'webhook_deleted',
          target: { type: 'webhook', id: endpoint.id },
          details: { host: hostOf(endpoint) },
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/webhooks/:id/deliveries',
      tag,
      role: 'admin',
      summary: "The endpoint's latest deliveries, newest first: status, response code, attempts, next try",
      params: idParams,
      response: z.object({ data: z.array(WebhookDelivery) }),
      handler: async ({ params }) => ({ data: await webhooks.deliveries(params.id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/webhooks/:id/test',
      tag,
      role: 'admin',
      summary: 'Send a `webhook.test` event to this endpoint alone; the delivery log shows how it went',
      params: idParams,
      status: 202,
      response: z.object({ deliveryId: z.number() }),
      handler: async ({ params }) => {
        const delivery = await webhooks.testEvent(params.id);
        await deps.queue.add([delivery]);
        return { deliveryId: delivery.id };
      },
    }),
  ];
}

/** The trail names an endpoint by its host: its path or query may hold a receiver's own token. */
const hostOf = (endpoint: WebhookEndpoint) => new URL(endpoint.url).host;

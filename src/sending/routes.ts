// /api/bulletins/:id/send and /test, /api/campaigns: thin handlers over the campaign service.
import { z } from 'zod';
import { RuleSchema } from '../audience/rules.js';
import { Email, LanguageCode } from '../audience/schemas.js';
import { actorOf, type AuditRecorder } from '../audit/audit-log.js';
import type { AuditEntry, AuditTarget } from '../audit/schemas.js';
import { defineRoute, Id, IdText, idParams, type RouteSpec } from '../http/api-routes.js';
import { type CampaignService, TEST_COPIES_PER_HOUR } from './campaign-service.js';
import { COMPARED_CAMPAIGNS, type CampaignReports } from './campaign-reports.js';
import { FINAL_CAMPAIGN_STATES, TRACKING_MODES } from './campaign-states.js';
import type { CampaignStore } from './campaign-store.js';
import { requireOwnTestAddresses } from './send-policy.js';
import type { StaffStore } from '../staff/staff-store.js';
import {
  Campaign,
  CampaignList,
  CampaignReport,
  Comparison,
  Priority,
  RetryAnswer,
  TestSendAnswer,
} from './schemas.js';

const isoTime = z.iso.datetime({
  offset: true,
  error: 'must be an ISO date-time with its zone, such as 2026-12-01T15:00:00Z',
});

const SendInput = z
  .strictObject({
    rule: RuleSchema.optional(),
    segmentId: Id.optional(),
    scheduledAt: isoTime.optional().describe('When to start; now when left out'),
    tracking: z.enum(TRACKING_MODES).default('aggregate').describe('"off" for a sensitive send: no link is counted'),
    archive: z
      .boolean()
      .default(false)
      .describe(
        'Publish the send in the public archive (its page is stored when it is prepared); 400 for a bulletin ' +
          'of a private topic, which is never public',
      ),
    priority: Priority.default('normal'),
    resend: z
      .boolean()
      .default(false)
      .describe(
        'Send even though the bulletin already went out or is scheduled; without it such a send answers ' +
          '409 already_sent with the earlier campaigns and how many of this audience already received it',
      ),
  })
  .refine((body) => (body.rule === undefined) !== (body.segmentId === undefined), 'must give either rule or segmentId');

const EVENT_INTERVAL_MS = 1000;

/** What the campaign routes need of the audit trail: to record, and to read who did what to a campaign. */
export interface CampaignAudit extends AuditRecorder {
  historyOf(target: AuditTarget): Promise<AuditEntry[]>;
}

const RECORDED = { pause: 'campaign_paused', resume: 'campaign_resumed', cancel: 'campaign_cancelled' } as const;

export function campaignRoutes(
  service: CampaignService,
  campaigns: CampaignStore,
  reports: CampaignReports,
  staff: StaffStore,
  audit: CampaignAudit,
): RouteSpec[] {
  const tag = 'campaigns';
  /** The report with who did what to the campaign, from the audit trail. */
  const fullReport = async (id: number): Promise<CampaignReport> => {
    const [report, history] = await Promise.all([reports.report(id), audit.historyOf(campaignTarget(id))]);
    return { ...report, history: history.map(({ action, actor, at }) => ({ action, by: actor, at })) };
  };
  const action = (name: 'pause' | 'resume' | 'cancel', summary: string) =>
    defineRoute({
      method: 'post',
      path: `/campaigns/:id/${name}`,
      tag,
      role: 'editor',
      summary,
      params: idParams,
      response: Campaign,
      handler: async ({ params, auth }) => {
        const campaign = await service[name](params.id);
        await audit.record({ actor: actorOf(auth), action: RECORDED[name], target: campaignTarget(campaign.id) });
        return campaign;
      },
    });
  return [
    defineRoute({
      method: 'post',
      path: '/bulletins/:id/send',
      tag,
      role: 'writer',
      status: 201,
      summary:
        'Send or schedule the bulletin to a rule or segment; 422 with the findings while the pre-send checks ' +
        'find errors; 409 already_sent when it went out before, unless resend is true; 403 for a writer, ' +
        'whose sends need an editor',
      params: idParams,
      body: SendInput,
      response: Campaign,
      handler: async ({ params, body, auth }) => {
        const { campaign, notified } = await service.send(params.id, body, auth);
        const awaiting = campaign.state === 'awaiting_approval';
        await audit.record({
          actor: actorOf(auth),
          // Scheduled: a time was given; sent: it starts now.
          action: awaiting
            ? 'campaign_approval_requested'
            : body.scheduledAt === undefined
              ? 'campaign_sent'
              : 'campaign_scheduled',
          target: campaignTarget(campaign.id),
          details: {
            bulletinId: campaign.bulletinId,
            scheduledAt: campaign.scheduledAt,
            ...(body.segmentId !== undefined ? { segmentId: body.segmentId } : { rule: body.rule }),
            ...(campaign.priority === 'urgent' ? { priority: campaign.priority } : {}),
            ...(awaiting ? { audience: campaign.requestedAudience, notified } : {}),
          },
        });
        return campaign;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/campaigns/:id/approve',
      tag,
      role: 'editor',
      summary:
        'Approve a send awaiting approval: it is scheduled at its time, or starts now if that has passed. ' +
        '409 conflict for a campaign not awaiting approval, or for one the caller asked for themselves',
      params: idParams,
      response: Campaign,
      handler: async ({ params, auth }) => {
        const { campaign, audience } = await service.approve(params.id, auth);
        await audit.record({
          actor: actorOf(auth),
          action: 'campaign_approved',
          target: campaignTarget(campaign.id),
          details: { requestedAudience: campaign.requestedAudience, audience, scheduledAt: campaign.scheduledAt },
        });
        return campaign;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/campaigns/:id/decline',
      tag,
      role: 'editor',
      summary:
        'Decline a send awaiting approval, saying why: the comment is the campaign’s stateReason, which the ' +
        'one who asked sees. 409 conflict as for approve',
      params: idParams,
      body: z.strictObject({
        comment: z
          .string()
          .trim()
          .min(1, 'must say why the send is declined')
          .max(2000, 'must be at most 2000 characters'),
      }),
      response: Campaign,
      handler: async ({ params, body, auth }) => {
        const campaign = await service.decline(params.id, body.comment, auth);
        await audit.record({
          actor: actorOf(auth),
          action: 'campaign_declined',
          target: campaignTarget(campaign.id),
          details: { comment: body.comment },
        });
        return campaign;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/bulletins/:id/test',
      tag,
      role: 'writer',
      summary:
        "Send personalised test copies to up to 10 addresses: each language's copy to each address, or only " +
        'the language given, the subject marked with the language ([TEST EN], [TEST ES]); 409 suppressed naming ' +
        `an address on the suppression list; each copy counts against ${TEST_COPIES_PER_HOUR} an hour for the whole ` +
        'installation, and a request that would pass them answers 429 and sends nothing; a writer sends only to ' +
        'their own addresses (403 naming each other one in `to`), and a writer token sends none',
      params: idParams,
      body: z.strictObject({
        to: z.array(Email).min(1, 'must name at least one address').max(10, 'must name at most 10 addresses'),
        lang: LanguageCode.optional().describe("Send only this language's copy; every language's when left out"),
      }),
      response: TestSendAnswer,
      handler: async ({ params, body, auth }) => {
        await requireOwnTestAddresses(auth, body.to, staff);
        return { sent: await service.test(params.id, body.to, body.lang) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/campaigns',
      tag,
      role: 'writer',
      summary:
        "List campaigns (the newest 500, or one bulletin's), newest first, " +
        "with their bulletin's title and counts by delivery status",
      query: z.strictObject({ bulletinId: IdText.optional() }),
      response: CampaignList,
      handler: async ({ query }) => ({ data: await campaigns.list(query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/campaigns/:id',
      tag,
      role: 'editor',
      summary:
        'A campaign: state, counts by delivery status and language, rate, times, last errors, ' +
        'clicks per link and language, outcomes in all and by language',
      params: idParams,
      response: CampaignReport,
      handler: ({ params }) => fullReport(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/campaigns/:id/comparison',
      tag,
      role: 'editor',
      summary:
        `The campaign beside the ${COMPARED_CAMPAIGNS} sends that started before it: ` +
        'sent, delivered, bounced, complained, unsubscribed, clicks and their rates',
      params: idParams,
      response: Comparison,
      handler: ({ params }) => reports.comparison(params.id),
    }),
    defineRoute({
      method: 'patch',
      path: '/campaigns/:id',
      tag,
      role: 'editor',
      summary: 'Reschedule a campaign that has not started',
      params: idParams,
      body: z.strictObject({ scheduledAt: isoTime }),
      response: Campaign,
      handler: async ({ params, body, auth }) => {
        const campaign = await service.reschedule(params.id, body.scheduledAt);
        await audit.record({
          actor: actorOf(auth),
          action: 'campaign_rescheduled',
          target: campaignTarget(campaign.id),
          details: { scheduledAt: campaign.scheduledAt },
        });
        return campaign;
      },
    }),
    action('pause', 'Pause a sending campaign'),
    action('resume', 'Resume a paused campaign'),
    action('cancel', 'Cancel a campaign; rows not yet sent are cancelled'),
    defineRoute({
      method: 'post',
      path: '/campaigns/:id/retry-failed',
      tag,
      role: 'editor',
      summary: 'Queue failed rows again (and "unknown" ones when included: they may have been sent)',
      params: idParams,
      body: z.strictObject({
        include: z
          .array(z.enum(['failed', 'unknown']))
          .min(1)
          .default(['failed']),
      }),
      response: RetryAnswer,
      handler: ({ params, body }) => service.retry(params.id, body.include),
    }),
    defineRoute({
      method: 'get',
      path: '/campaigns/:id/events',
      tag,
      role: 'editor',
      responseContentType: 'text/event-stream',
      summary: 'Server-sent events: the campaign report every second until it is over',
      params: idParams,
      handler: async ({ params, req, res }) => {
        await campaigns.get(params.id); // 404 before the stream starts
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
        });
        let open = true;
        req.on('close', () => (open = false));
        while (open) {
          const report = await fullReport(params.id);
          res.write(`event: progress\ndata: ${JSON.stringify(report)}\n\n`);
          if (FINAL_CAMPAIGN_STATES.includes(report.state)) break;
          await new Promise((resolve) => setTimeout(resolve, EVENT_INTERVAL_MS));
        }
        res.end();
      },
    }),
  ];
}

function campaignTarget(id: number): AuditTarget {
  return { type: 'campaign', id };
}

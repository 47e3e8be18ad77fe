// What staff do with sends: start or schedule one (after the pre-send checks), pause, resume,
// cancel, reschedule, retry failed rows, and send a test. The worker does the sending itself.
import type { AudienceStore } from '../audience/audience-store.js';
import { languageChoices } from '../audience/languages.js';
import type { Rule } from '../audience/rules.js';
import type { SegmentStore } from '../audience/segment-store.js';
import type { TopicStore } from '../audience/topic-store.js';
import type { SuppressionList } from '../audience/suppressions.js';
import type { BulletinStore } from '../bulletins/bulletin-store.js';
import type { BulletinRenderer } from '../render/bulletin-renderer.js';
import type { CampaignState } from '../db/schema.js';
import { AppError } from '../errors.js';
import { personalise, recipientLinks } from '../render/personalise.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { SetupProgressStore } from '../setup/setup-progress-store.js';
import type { LinkSigner } from '../signed-links.js';
import { CAMPAIGN_TRANSITIONS, type CampaignStore } from './campaign-store.js';
import type { DeliveryLedger } from './delivery-ledger.js';
import { fromAddress } from './from-address.js';
import { listId } from './list-id.js';
import type { SendQueues } from './send-queues.js';
import type { HourlyAllowance } from './hourly-allowance.js';
import type { Campaign, Priority, RetryAnswer, TestSend, Tracking } from './schemas.js';
import type { Sender } from './ses-sender.js';
import { approvalNeeded, requesterOf, requireOtherApprover } from './send-policy.js';
import { actorOf } from '../audit/audit-log.js';
import { roleAtLeast } from '../db/schema.js';
import type { Auth } from '../http/api-routes.js';
import type { Settings } from '../settings/settings.js';
import { mailStaff } from './staff-mail.js';
import type { StaffStore } from '../staff/staff-store.js';

export interface SendInput {
  rule?: Rule | undefined;
  segmentId?: number | undefined;
  scheduledAt?: string | undefined;
  tracking: Tracking;
  /** Publish it in the public archive; never for a private topic. */
  archive: boolean;
  /** 'urgent': its batches go before every normal campaign's waiting batches; 'normal' when left out. */
  priority?: Priority | undefined;
  /** Send even though the bulletin already went out (or is scheduled): the second confirmation. */
  resend?: boolean | undefined;
}

/**
 * Campaigns whose failed rows staff may requeue: a paused one keeps its state (the rows go when it
 * resumes); the others rerun.
 */
const RETRIABLE: readonly CampaignState[] = ['sending', 'paused', 'sent'];

/** Test copies the whole installation may send in an hour: enough to check a bulletin, too few to spam with. */
export const TEST_COPIES_PER_HOUR = 50;

export class CampaignService {
  constructor(
    private readonly deps: {
      campaigns: CampaignStore;
      ledger: DeliveryLedger;
      bulletins: BulletinStore;
      audience: AudienceStore;
      renderer: BulletinRenderer;
      segments: SegmentStore;
      topics: TopicStore;
      suppressions: SuppressionList;
      settings: SettingsStore;
      /** Told when a test copy went out: a step of the first-run checklist. */
      setupProgress: SetupProgressStore;
      /** What is left of the hour's TEST_COPIES_PER_HOUR. */
      testCopies: HourlyAllowance;
      queues: SendQueues;
      /** The editors and admins a request for approval is mailed to, and the one told of a decline. */
      staff: Pick<StaffStore, 'listUsers' | 'findUser'>;
      sender: Sender;
      signer: LinkSigner;
      publicUrl: string;
      mailFrom: string;
    },
  ) {}

  /**
   * Creates a campaign pinned to the bulletin's current version, unless a check finds an error.
   * A send that needs approval (src/sending/send-policy.ts) waits in `awaiting_approval`, and the
   * editors and admins other than the one asking are told by mail; `notified` names them.
   */
  async send(bulletinId: number, input: SendInput, auth: Auth): Promise<{ campaign: Campaign; notified: string[] }> {
    const bulletin = await this.deps.bulletins.get(bulletinId);
    const topic = bulletin.document.topic ?? null;
    if (input.archive) await this.refusePrivateArchive(topic);
    const findings = await this.deps.renderer.checks(bulletin.document);
    const errors = findings.filter((f) => f.level === 'error');
    if (errors.length) {
      throw new AppError(
        'unprocessable',
        `The pre-send checks found ${errors.length} error(s); mend them before sending`,
        undefined,
        { findings },
      );
    }
    const segment = input.segmentId === undefined ? undefined : await this.deps.segments.get(input.segmentId);
    const rule = segment?.rule ?? input.rule!;
    if (!input.resend) await this.refuseResend(bulletinId, rule, topic);
    const at = input.scheduledAt ? new Date(input.scheduledAt) : new Date();
    const { eligible: audience } = await this.deps.audience.preview(rule, topic ?? undefined);
    const settings = await this.deps.settings.get();
    const needsApproval = approvalNeeded(auth, audience, settings);
    const campaign = await this.deps.campaigns.create({
      bulletinId,
      bulletinVersionId: bulletin.versionId,
      segmentId: segment?.id ?? null,
      rule,
      topic,
      scheduledAt: at.toISOString(),
      tracking: input.tracking,
      archive: input.archive,
      priority: input.priority,
      approval: needsApproval ? { requester: requesterOf(auth), audience } : undefined,
    });
    if (needsApproval) {
      const notified = await this.askApprovers(campaign, bulletin.document.title, audience, auth, settings);
      return { campaign, notified };
    }
    // Redis away: the campaign stays 'scheduled' and the answer does not wait past QUEUE_WAIT_MS;
    // the add still waiting, or else the worker's sweep, queues its start once Redis is back.
    await this.deps.queues.scheduleStart(campaign.id, at);
    return { campaign, notified: [] };
  }

  /** Tells each editor and admin but the one asking: who asks, what, to how many, and where to decide. */
  private async askApprovers(
    campaign: Campaign,
    title: string,
    audience: number,
    auth: Auth,
    settings: Settings,
  ): Promise<string[]> {
    const approvers = (await this.deps.staff.listUsers()).filter(
      (user) => roleAtLeast(user.role, 'editor') && !(auth.kind === 'session' && user.id === auth.staffId),
    );
    const people = `${audience.toLocaleString('en-US')} ${audience === 1 ? 'person' : 'people'}`;
    return this.mailStaff(
      approvers.map((user) => user.email),
      `Approval asked: “${title}” to ${people}`,
      `${actorOf(auth).name} asks to send “${title}” to ${people}; review it:`,
      campaign.id,
      settings,
    );
  }

  /** Mails staff about a campaign, linking to its page; returns the addresses it went to. */
  private mailStaff(
    addresses: readonly string[],
    subject: string,
    sentence: string,
    campaignId: number,
    settings: Settings,
  ): Promise<string[]> {
    const link = `${this.deps.publicUrl}/admin/campaigns/${campaignId}`;
    return mailStaff(this.deps, settings, addresses, {
      subject,
      sentence,
      link,
      tags: { approval: String(campaignId) },
    });
  }

  /**
   * Another editor or admin approves a request: it is scheduled at the time asked for, or starts
   * now if that has passed while it waited. Answers with the audience it reaches now.
   */
  async approve(id: number, auth: Auth): Promise<{ campaign: Campaign; audience: number }> {
    const request = await this.deps.campaigns.get(id);
    if (request.state !== 'awaiting_approval')
      throw await this.wrongState(id, 'approved', CAMPAIGN_TRANSITIONS.approve.from);
    requireOtherApprover(auth, request.requestedBy, 'approves');
    const at = new Date(Math.max(Date.parse(request.scheduledAt), Date.now()));
    if (!(await this.deps.campaigns.approve(id, at.toISOString())))
      throw await this.wrongState(id, 'approved', CAMPAIGN_TRANSITIONS.approve.from);
    // Read before its start is queued: the answer is the approved campaign, not a worker's later step.
    const campaign = await this.deps.campaigns.get(id);
    await this.deps.queues.scheduleStart(id, at);
    const { eligible } = await this.deps.audience.preview(request.rule, request.topic ?? undefined);
    return { campaign, audience: eligible };
  }

  /**
   * Another editor or admin declines a request, saying why: the comment is the campaign's reason,
   * and the staff member who asked is told by mail (a token has no address).
   */
  async decline(id: number, comment: string, auth: Auth): Promise<Campaign> {
    const request = await this.deps.campaigns.get(id);
    if (request.state !== 'awaiting_approval')
      throw await this.wrongState(id, 'declined', CAMPAIGN_TRANSITIONS.decline.from);
    requireOtherApprover(auth, request.requestedBy, 'declines');
    if (!(await this.deps.campaigns.decline(id, comment)))
      throw await this.wrongState(id, 'declined', CAMPAIGN_TRANSITIONS.decline.from);
    const asker = request.requestedBy?.kind === 'staff' ? await this.deps.staff.findUser(request.requestedBy.id) : null;
    if (asker) {
      const { title } = await this.deps.bulletins.get(request.bulletinId);
      await this.mailStaff(
        [asker.email],
        `Send declined: “${title}”`,
        `${actorOf(auth).name} declined your send of “${title}”: ${comment}. See it:`,
        id,
        await this.deps.settings.get(),
      );
    }
    return this.deps.campaigns.get(id);
  }

  /**
   * A bulletin for a private topic (or one that no longer exists) stays off the public web: its
   * readers chose something not offered to everyone. A bulletin with no topic goes to all and may
   * be published.
   */
  private async refusePrivateArchive(topic: string | null): Promise<void> {
    if (topic === null || (await this.deps.topics.find(topic))?.public) return;
    throw AppError.invalid([
      {
        path: 'archive',
        message: `must be false: the topic "${topic}" is not public, so its bulletins stay out of the public archive`,
      },
    ]);
  }

  /**
   * A bulletin that went out, or is scheduled, is not sent again without `resend`: the 409 names
   * the earlier sends and how many of the new audience already received one of them.
   */
  private async refuseResend(bulletinId: number, rule: Rule, topic: string | null): Promise<void> {
    const earlier = await this.deps.campaigns.sendsOf(bulletinId);
    if (!earlier.length) return;
    const received: Rule = { any: earlier.map((c) => ({ campaign: c.id, received: true })) };
    const { eligible: alreadyReceived } = await this.deps.audience.preview(
      { all: [rule, received] },
      topic ?? undefined,
    );
    const last = earlier[0]!;
    const when =
      last.state === 'awaiting_approval'
        ? `awaits approval for a send at ${last.scheduledAt}`
        : last.state === 'scheduled'
          ? `is scheduled for ${last.scheduledAt}`
          : `went out ${last.startedAt ?? last.scheduledAt} to ${last.counts.total} people`;
    throw new AppError(
      'already_sent',
      `This bulletin ${when} (campaign ${last.id})` +
        (earlier.length > 1 ? ` and ${earlier.length - 1} earlier time(s)` : '') +
        `; ${alreadyReceived} of the people chosen now already received it.` +
        ' Send with "resend": true to send it again',
      undefined,
      { campaigns: earlier, alreadyReceived },
    );
  }

  async reschedule(id: number, scheduledAt: string): Promise<Campaign> {
    if (!(await this.deps.campaigns.reschedule(id, new Date(scheduledAt).toISOString())))
      throw await this.wrongState(id, 'rescheduled', CAMPAIGN_TRANSITIONS.reschedule.from);
    await this.deps.queues.reschedule(id, new Date(scheduledAt));
    return this.deps.campaigns.get(id);
  }

  async pause(id: number): Promise<Campaign> {
    if (!(await this.deps.campaigns.pause(id, 'Paused by staff'))) {
      throw await this.wrongState(id, 'paused', CAMPAIGN_TRANSITIONS.pause.from);
    }
    return this.deps.campaigns.get(id);
  }

  /** Resumes a paused campaign in a new run: its queued rows get new batch jobs. */
  async resume(id: number): Promise<Campaign> {
    if (!(await this.deps.campaigns.resume(id))) {
      throw await this.wrongState(id, 'resumed', CAMPAIGN_TRANSITIONS.resume.from);
    }
    const campaign = await this.deps.campaigns.get(id);
    await this.deps.queues.scheduleStart(id, new Date(), campaign.run);
    return campaign;
  }

  async cancel(id: number): Promise<Campaign> {
    if (await this.deps.campaigns.isLiveWelcome(id)) {
      throw new AppError(
        'conflict',
        `Campaign ${id} is the welcome mail's, which is on; turn the welcome mail off instead (PUT /api/welcome-mail)`,
      );
    }
    if (!(await this.deps.campaigns.cancel(id))) {
      throw await this.wrongState(id, 'cancelled', CAMPAIGN_TRANSITIONS.cancel.from);
    }
    await this.deps.queues.removeStart(id);
    await this.deps.ledger.cancelQueued(id);
    return this.deps.campaigns.get(id);
  }

  /** Puts failed rows (and `unknown` ones when asked: they may have been sent) back in the queue. */
  async retry(id: number, statuses: readonly ('failed' | 'unknown')[]): Promise<RetryAnswer> {
    const before = await this.deps.campaigns.get(id);
    if (!RETRIABLE.includes(before.state)) throw await this.wrongState(id, 'retried', RETRIABLE);
    const requeued = await this.deps.ledger.requeue(id, statuses);
    if (requeued && before.state !== 'paused') {
      // A new run gives the rows new batch jobs; a finished campaign is sending again.
      await this.deps.campaigns.rerun(id);
      const campaign = await this.deps.campaigns.get(id);
      await this.deps.queues.scheduleStart(id, new Date(), campaign.run);
    }
    return { requeued, campaign: await this.deps.campaigns.get(id) };
  }

  /**
   * Sends personalised copies to staff now, each language's copy (or the one language asked for) to
   * each address, the subject marked with its language ("[TEST ES] …"); no campaign, no counts. Never
   * to a suppressed address. Every copy counts against the hour's allowance: a request that would
   * pass it sends nothing.
   */
  async test(bulletinId: number, to: readonly string[], language: string | undefined): Promise<TestSend[]> {
    const bulletin = await this.deps.bulletins.get(bulletinId);
    const { languages } = bulletin.document;
    if (language !== undefined && !languages.includes(language)) {
      throw AppError.invalid([
        { path: 'lang', message: `must be ${languageChoices(languages)}, the bulletin's languages` },
      ]);
    }
    const suppressed = await this.deps.suppressions.reasons(to);
    if (suppressed.size) {
      const issues = to.flatMap((address, i) => {
        const reason = suppressed.get(address);
        return reason
          ? [{ path: `to[${i}]`, message: `is on the suppression list (${reason}): no mail goes to it` }]
          : [];
      });
      throw new AppError('suppressed', issues.map((i) => `${i.path} ${i.message}`).join('; '), issues);
    }
    // Rendered before the allowance is taken: a copy that cannot be rendered uses none of it.
    const copies = [];
    for (const lang of language === undefined ? languages : [language]) {
      copies.push({ lang, compiled: await this.deps.renderer.staffCopy(bulletin.document, lang) });
    }
    const allowance = await this.deps.testCopies.take(copies.length * to.length);
    if (!allowance.taken) {
      const minutes = Math.ceil(allowance.retryAfterMs / 60_000);
      throw new AppError(
        'rate_limited',
        `At most ${this.deps.testCopies.limit} test copies go out in an hour; try again in ${minutes} minute(s)`,
      );
    }
    const settings = await this.deps.settings.get();
    const from = fromAddress(settings, this.deps.mailFrom);
    const list = listId(settings.organisationName, bulletin.document.topic ?? null, this.deps.publicUrl, from);
    const sent = [];
    for (const { lang, compiled } of copies) {
      const links = recipientLinks(this.deps.signer, this.deps.publicUrl, {
        subscriberId: 0,
        campaignId: 0,
        language: lang,
      });
      for (const address of to) {
        const message = personalise(compiled, { subscriberId: 0, email: address, name: '' }, links);
        const messageId = await this.deps.sender.send({
          from,
          to: address,
          replyTo: settings.replyTo || undefined,
          ...message,
          headers: { ...message.headers, 'List-Id': list },
          subject: `[TEST ${lang.toUpperCase()}] ${message.subject}`,
          tags: { test: 'true' },
        });
        sent.push({ to: address, lang, messageId });
      }
    }
    await this.deps.setupProgress.testSent();
    return sent;
  }

  private async wrongState(id: number, action: string, allowed: readonly CampaignState[]): Promise<AppError> {
    const campaign = await this.deps.campaigns.get(id);
    const states = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` : allowed[0];
    return new AppError(
      'conflict',
      `Campaign ${id} is ${campaign.state}; only a campaign that is ${states} can be ${action}`,
    );
  }
}

// What the worker does for a campaign: prepare it (render once per language, snapshot the
// audience into the ledger, queue the batches), then send each batch: claim its rows,
// personalise, send (a SendEmail a copy, or in bulk mode 50 readers a SendBulkEmail call from a
// stored template), record. A row already sent is never sent again, whatever befalls its job.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { BulletinStore } from '../bulletins/bulletin-store.js';
import type { BulletinDocument } from '../bulletins/document.js';
import type { BulletinRenderer } from '../render/bulletin-renderer.js';
import { trackableLinks, withTrackedLinks, type Tracker } from '../render/tracked-links.js';
import { type BlockGate, blockGates, NO_BLOCKS, shownBlocks } from '../render/block-audiences.js';
import {
  personalise,
  type Recipient,
  type RecipientLinks,
  recipientLinks,
  recipientValues,
  unsubscribeHeaders,
} from '../render/personalise.js';
import { type BulkTemplate, bulkTemplate } from '../render/bulk-template.js';
import type { ShownBlocks } from '../render/template.js';
import type { MjmlEngine } from '../render/mjml-engine.js';
import { renderBulletin, type CompiledBulletin } from '../render/render.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { LinkSigner } from '../signed-links.js';
import type { AdaptivePace } from './adaptive-pace.js';
import type { ArchivePages } from './archive-pages.js';
import type { CampaignLinks } from './campaign-links.js';
import { clickToken } from './click-token.js';
import type { CampaignStore } from './campaign-store.js';
import type { DeliveryLedger, Settlement } from './delivery-ledger.js';
import { fromAddress } from './from-address.js';
import { atMost } from './at-most.js';
import { listId } from './list-id.js';
import {
  AccountPausedError,
  PermanentSendError,
  QuotaExceededError,
  ThrottledError,
  TemplateMissingError,
  TooManyRequestsError,
} from './send-errors.js';
import type { Campaign } from './schemas.js';
import type { BatchJob, SendQueues } from './send-queues.js';
import { BULK_DESTINATIONS, type BulkResult, type BulkSender, type Sender } from './ses-sender.js';

export interface RunnerDeps {
  campaigns: CampaignStore;
  ledger: DeliveryLedger;
  campaignLinks: CampaignLinks;
  archivePages: ArchivePages;
  bulletins: BulletinStore;
  renderer: BulletinRenderer;
  settings: SettingsStore;
  queues: SendQueues;
  sender: Sender;
  signer: LinkSigner;
  /** Where this process runs MJML: a worker alone renders in passing threads. */
  mjml: MjmlEngine;
  logger: Logger;
  publicUrl: string;
  mailFrom: string;
  /** Pause a campaign after this many send errors in a row. */
  sendErrorLimit: number;
  /** Rows per batch job, from the send rate. */
  batchSize: number;
  /** This worker's pace, slowed by SES's throttling. */
  pace: AdaptivePace;
  /**
   * Given in bulk mode (SES_SEND_MODE=bulk): a batch goes out BULK_DESTINATIONS readers a
   * SendBulkEmail call, from a template stored in SES per campaign and language.
   */
  bulkSender?: BulkSender | undefined;
}

/** Campaigns whose templates a worker keeps in memory at once. */
const TEMPLATE_CACHE_SIZE = 8;
/** How long a batch SES has answered keeps trying to record it while the database is away. */
const SETTLE_PATIENCE_MS = 60_000;
/**
 * A batch's copies being made and sent at once, in simple mode. Each copy in flight holds its
 * personalised HTML several times over (the string, the request's JSON, its bytes): all 50 of each
 * of a worker's three batches at once were 30 MB that came and went with every batch, the teeth
 * of the worker's memory. Ten at a time keeps a worker under 200 MB at 200,000 recipients, at a
 * cost: against the local SES stub it reaches 0.70–0.72 of the SDK's ceiling, against 0.77–0.79
 * with all 50 (docs/performance.md, Worker memory, item 6). Against SES, at 50–100 ms a call, its
 * 30 calls in flight carry 300–600 mails a second.
 */
const SENDS_AT_ONCE = 10;

interface CampaignTemplates {
  templates: Record<string, CompiledBulletin>;
  /** Each language's block audiences, compiled; none for a template stored before blocks had them. */
  gates: Record<string, BlockGate[]>;
  /** Whether any block has an audience: only then are the readers' rows read with the batch. */
  gated: boolean;
  /** In bulk mode, each language's template as stored in SES by this process. */
  stored: Map<string, Promise<StoredTemplate>>;
}

interface StoredTemplate {
  name: string;
  template: BulkTemplate;
}

/** One reader's copy of a batch, ready to send. */
interface Copy {
  rowId: number;
  language: string;
  to: Recipient;
  shown: ShownBlocks;
  links: RecipientLinks;
}

/** What every copy of a batch shares. */
interface Envelope {
  campaignId: number;
  from: string;
  replyTo: string | undefined;
  list: string;
}

/** An SES template name (letters, digits, _ and -, at most 64) made from the campaign, language and content. */
function storedTemplateName(campaignId: number, language: string, template: BulkTemplate): string {
  const hash = createHash('sha256').update(JSON.stringify(template.content)).digest('hex').slice(0, 20);
  return `pregon-${campaignId}-${language.replace(/[^\w-]/g, '_').slice(0, 20)}-${hash}`;
}

type Outcome = 'sent' | 'skipped' | 'failed' | 'throttled' | 'too fast' | 'quota' | 'paused';

export class CampaignRunner {
  /**
   * Compiled templates by campaign id, read from the database once per campaign per process, with
   * each language's block audiences compiled beside them.
   */
  private readonly templates = new Map<number, CampaignTemplates>();

  constructor(private readonly deps: RunnerDeps) {}

  /** The start job. Idempotent: run again after a crash, it picks up where it stopped. */
  async start(campaignId: number): Promise<void> {
    const { campaigns, ledger } = this.deps;
    await campaigns.start(campaignId, (await this.deps.settings.get()).logoUrl);
    let campaign = await campaigns.get(campaignId);
    if (campaign.state === 'preparing') {
      const document = await this.deps.bulletins.version(campaign.bulletinVersionId);
      if (!(await campaigns.templates(campaignId))) {
        const theme = await this.deps.renderer.themeContext(document);
        // The logo recorded at the start, not today's: a start run again after a crash, with the
        // logo changed meanwhile, must send the one the media library keeps for this campaign.
        const logoUrl = (await campaigns.logoUrl(campaignId)) ?? theme.settings.logoUrl;
        const context = { ...theme, settings: { ...theme.settings, logoUrl } };
        const track = campaign.tracking === 'aggregate' ? await this.linkTracker(campaignId, document) : undefined;
        const compiled = await Promise.all(
          document.languages.map((language) =>
            renderBulletin(
              track ? withTrackedLinks(document, language, track) : document,
              language,
              context,
              this.deps.mjml,
            ),
          ),
        );
        // Before the templates, which mark the rendering done: a start run again after a crash stores them again.
        if (campaign.archive) await this.deps.archivePages.publish(campaignId, document, context);
        await campaigns.saveTemplates(campaignId, Object.fromEntries(compiled.map((c) => [c.language, c])));
      }
      // The welcome mail's campaign has no audience to snapshot: each confirmation adds its own row.
      const rows =
        campaign.kind === 'welcome' ? 0 : await ledger.snapshotAudience(campaign, document.languages, new Date());
      await campaigns.startSending(campaignId);
      this.deps.logger.info({ campaignId, recipients: rows }, 'campaign prepared');
      campaign = await campaigns.get(campaignId);
    }
    // Cancelled while preparing: the snapshot may have landed after the cancel emptied the queue.
    if (campaign.state === 'cancelled') await ledger.cancelQueued(campaignId);
    if (campaign.state !== 'sending') return;
    await this.queueBatches(campaign);
  }

  /**
   * Registers the links every language's readers get (a link only one language has is a row like
   * any other) and gives the tracker that swaps each for a counting redirect naming the link and
   * the mail's language, never the reader: /c/<signed link id and language>.
   */
  private async linkTracker(campaignId: number, document: BulletinDocument): Promise<Tracker> {
    const links = document.languages.flatMap((language) => trackableLinks(document, language));
    const ids = await this.deps.campaignLinks.register(campaignId, links);
    return ({ block, url, language }) => {
      const id = ids.get(`${block} ${url}`);
      return id === undefined ? undefined : `${this.deps.publicUrl}/c/${clickToken(this.deps.signer, id, language)}`;
    };
  }

  /**
   * Queues batch jobs for the campaign's queued rows, at its priority, in its current run; finishes
   * the campaign when there are none.
   */
  async queueBatches(campaign: Pick<Campaign, 'id' | 'run' | 'priority'>): Promise<void> {
    const batches = await this.deps.ledger.queuedBatches(campaign.id, this.deps.batchSize);
    await this.deps.queues.enqueueBatches(campaign.id, campaign.run, batches, campaign.priority);
    if (batches.length === 0) await this.finish(campaign.id);
  }

  /**
   * One batch. `claim` names this attempt. Throws ThrottledError to be retried with backoff and
   * QuotaExceededError to be delayed long; rows it could not send are back in the queue then.
   */
  async sendBatch(job: BatchJob, claim: string): Promise<void> {
    const { campaigns, ledger, logger } = this.deps;
    const campaign = await campaigns.get(job.campaignId);
    if (campaign.state !== 'sending') {
      // Paused: the rows wait. Cancelled: they were, and the stored templates are not needed.
      if (campaign.state === 'cancelled') await this.dropStoredTemplates(job.campaignId);
      return;
    }
    const abandoned = await ledger.markAbandoned(job.campaignId, job, claim);
    if (abandoned)
      logger.warn({ campaignId: job.campaignId, abandoned }, 'rows left by a stopped worker marked unknown');
    const rows = await ledger.claim(job.campaignId, job, claim);
    if (rows.length === 0) {
      await this.finish(job.campaignId);
      return;
    }
    const { pace } = this.deps;
    // The limiter let this batch through at the configured pace; a slowed pace holds the next one longer.
    if (pace.slowdown > 1) await this.deps.queues.holdDeliveries(pace.batchGapMs);

    const compiled = await this.templatesOf(job.campaignId);
    const { templates, gates, gated } = compiled;
    const settings = await this.deps.settings.get();
    const from = fromAddress(settings, this.deps.mailFrom);
    const list = listId(settings.organisationName, campaign.topic, this.deps.publicUrl, from);
    const now = new Date();
    const recipients = await ledger.recipients(
      rows.flatMap((r) => (r.subscriberId === null ? [] : [r.subscriberId])),
      campaign,
      now,
      { readers: gated },
    );

    const errors: string[] = [];
    const settlements: Settlement[] = [];
    const outcomes: Outcome[] = [];
    /** The first of the batch's sends to which SES said the account may not send. */
    let accountPaused: AccountPausedError | undefined;
    const copies: Copy[] = [];
    for (const row of rows) {
      const recipient = row.subscriberId === null ? undefined : recipients.get(row.subscriberId);
      const skip = recipient ? recipient.skip : 'subscriber was erased';
      if (skip || !recipient) {
        settlements.push({ id: row.id, outcome: { status: 'skipped', error: skip ?? 'subscriber was erased' } });
        outcomes.push('skipped');
        continue;
      }
      const language = templates[row.language] ? row.language : Object.keys(templates)[0]!;
      const blocks = gates[language]!;
      copies.push({
        rowId: row.id,
        language,
        to: { subscriberId: recipient.id, email: recipient.email, name: recipient.name },
        // Each block's rule on the reader's row as read for this batch; one erased meanwhile was skipped above.
        shown: blocks.length && recipient.reader ? shownBlocks(blocks, recipient.reader) : NO_BLOCKS,
        links: recipientLinks(this.deps.signer, this.deps.publicUrl, {
          subscriberId: recipient.id,
          campaignId: job.campaignId,
          language: row.language,
          inArchive: campaign.archive,
        }),
      });
    }
    const envelope: Envelope = {
      campaignId: job.campaignId,
      from,
      replyTo: settings.replyTo || undefined,
      list,
    };
    const results = this.deps.bulkSender
      ? await this.sendBulk(this.deps.bulkSender, envelope, compiled, copies)
      : await atMost(copies, SENDS_AT_ONCE, (copy) => this.sendOne(envelope, templates[copy.language]!, copy));
    results.forEach((result, i) => {
      const { rowId } = copies[i]!;
      if ('messageId' in result) {
        settlements.push({ id: rowId, outcome: { status: 'sent', messageId: result.messageId } });
        outcomes.push('sent');
        return;
      }
      const err = result.error;
      const reason = err.message;
      errors.push(reason);
      if (err instanceof PermanentSendError) {
        settlements.push({ id: rowId, outcome: { status: 'failed', error: reason } });
        outcomes.push('failed');
        return;
      }
      // Everything else leaves the row for a later attempt: it was not accepted.
      settlements.push({ id: rowId, outcome: { status: 'queued', error: reason } });
      if (err instanceof QuotaExceededError) outcomes.push('quota');
      else if (err instanceof AccountPausedError) {
        accountPaused ??= err;
        outcomes.push('paused');
      } else if (err instanceof TooManyRequestsError) outcomes.push('too fast');
      else {
        if (!(err instanceof ThrottledError))
          logger.error({ err, campaignId: job.campaignId }, 'unexpected send error');
        outcomes.push('throttled');
      }
    });
    // Every send of the batch has answered: the rows are settled together, still under the claim.
    // A worker that dies before this leaves them 'sending', to become 'unknown', as one that died mid-send.
    await this.settle(job.campaignId, claim, settlements);
    this.adaptPace(job.campaignId, outcomes.includes('too fast'));

    await this.countErrors(job.campaignId, outcomes, errors.at(-1));
    if (accountPaused) {
      logger.warn(
        { campaignId: job.campaignId, reason: accountPaused.reason },
        'SES will not send for the account: campaign paused',
      );
      await campaigns.pause(job.campaignId, `SES: ${accountPaused.message}`);
      return;
    }
    if (outcomes.includes('quota')) throw new QuotaExceededError('The SES daily quota is spent');
    const retries = outcomes.filter((o) => o === 'throttled' || o === 'too fast').length;
    if (retries) throw new ThrottledError(`${retries} messages to retry: ${errors.at(-1)}`);
    await this.finish(job.campaignId);
  }

  /** One copy, one SendEmail call. */
  private async sendOne(envelope: Envelope, template: CompiledBulletin, copy: Copy): Promise<BulkResult> {
    const message = personalise(template, copy.to, copy.links, copy.shown);
    try {
      const messageId = await this.deps.sender.send({
        from: envelope.from,
        to: copy.to.email,
        replyTo: envelope.replyTo,
        ...message,
        headers: { ...message.headers, 'List-Id': envelope.list },
        tags: { campaign: String(envelope.campaignId), delivery: String(copy.rowId) },
      });
      return { messageId };
    } catch (err) {
      return { error: err as Error };
    }
  }

  /**
   * The copies, each language's BULK_DESTINATIONS a SendBulkEmail call from the campaign's stored
   * template of that language, all calls at once; one result per copy, in their order. A call that
   * fails as a whole fails each of its copies with its error.
   */
  private async sendBulk(
    sender: BulkSender,
    envelope: Envelope,
    campaign: CampaignTemplates,
    copies: readonly Copy[],
  ): Promise<BulkResult[]> {
    const results: BulkResult[] = new Array(copies.length);
    const calls: number[][] = [];
    const open = new Map<string, number[]>();
    copies.forEach((copy, i) => {
      let call = open.get(copy.language);
      if (!call || call.length === BULK_DESTINATIONS) {
        call = [];
        calls.push(call);
        open.set(copy.language, call);
      }
      call.push(i);
    });
    await Promise.all(
      calls.map(async (call) => {
        const language = copies[call[0]!]!.language;
        try {
          const stored = await this.storedTemplate(sender, envelope.campaignId, campaign, language);
          const answers = await sender.sendBulk({
            from: envelope.from,
            replyTo: envelope.replyTo,
            template: stored.name,
            defaults: stored.template.defaults,
            headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'List-Id': envelope.list },
            tags: { campaign: String(envelope.campaignId) },
            destinations: call.map((i) => {
              const copy = copies[i]!;
              return {
                to: copy.to.email,
                data: stored.template.data(recipientValues(copy.to, copy.links), copy.shown),
                headers: { 'List-Unsubscribe': unsubscribeHeaders(copy.links)['List-Unsubscribe']! },
                tags: { delivery: String(copy.rowId) },
              };
            }),
          });
          for (const [k, i] of call.entries()) results[i] = answers[k]!;
          if (answers.some((a) => 'error' in a && a.error instanceof TemplateMissingError)) campaign.stored.clear();
        } catch (err) {
          if (err instanceof TemplateMissingError) campaign.stored.clear();
          for (const i of call) results[i] = { error: err as Error };
        }
      }),
    );
    return results;
  }

  /**
   * The campaign's stored template of a language, stored in SES at its first use by this process.
   * Its name is made from its content, so every worker stores the same one, and a template already
   * there is the same template.
   */
  private storedTemplate(
    sender: BulkSender,
    campaignId: number,
    cached: CampaignTemplates,
    language: string,
  ): Promise<StoredTemplate> {
    let stored = cached.stored.get(language);
    if (!stored) {
      const template = bulkTemplate(cached.templates[language]!);
      const name = storedTemplateName(campaignId, language, template);
      stored = sender.createTemplate(name, template.content).then(() => ({ name, template }));
      // A failed store is tried again by the next batch, not remembered.
      stored.catch(() => cached.stored.delete(language));
      cached.stored.set(language, stored);
    }
    return stored;
  }

  /**
   * Deletes the campaign's stored templates, when sending in bulk: called when it ends. SES keeps
   * at most 20,000 templates a region. A template deleted and needed again (failed rows retried)
   * is stored again; one left behind by a failure here is only logged.
   */
  private async dropStoredTemplates(campaignId: number): Promise<void> {
    const sender = this.deps.bulkSender;
    if (!sender) return;
    try {
      const { templates, stored } = await this.templatesOf(campaignId);
      stored.clear();
      await Promise.all(
        Object.entries(templates).map(([language, compiled]) =>
          sender.deleteTemplate(storedTemplateName(campaignId, language, bulkTemplate(compiled))),
        ),
      );
    } catch (err) {
      this.deps.logger.warn({ err, campaignId }, 'could not delete the stored templates of an ended campaign');
    }
  }

  /** Finishes the campaign when it has no open row left; its stored templates go with it. */
  private async finish(campaignId: number): Promise<void> {
    if (await this.deps.campaigns.finish(campaignId)) await this.dropStoredTemplates(campaignId);
  }

  /**
   * Records what SES said, trying again for a while when the database is away (PostgreSQL
   * restarting, SQLite locked past its busy timeout): only this process knows which rows SES
   * took, and a batch run again would find them 'sending' and call them 'unknown'. Settling twice
   * is harmless: it touches only rows still 'sending' under this claim.
   */
  private async settle(campaignId: number, claim: string, settlements: readonly Settlement[]): Promise<void> {
    const deadline = Date.now() + SETTLE_PATIENCE_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.ledger.settle(claim, settlements);
      } catch (err) {
        if (Date.now() >= deadline) throw err;
        this.deps.logger.warn({ err, campaignId, attempt }, 'could not record a batch that SES answered; trying again');
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** (attempt - 1))));
      }
    }
  }

  /** BullMQ gave up on a batch: its rows fail with the reason (staff can retry them). */
  async giveUp(job: BatchJob, reason: string): Promise<void> {
    await this.deps.ledger.failRange(job.campaignId, job, `Gave up after repeated errors: ${reason}`);
    await this.finish(job.campaignId);
  }

  private adaptPace(campaignId: number, throttled: boolean): void {
    const { pace, logger } = this.deps;
    const before = pace.slowdown;
    const after = pace.record(throttled);
    if (after > before)
      logger.warn({ campaignId, slowdown: after, batchGapMs: pace.batchGapMs }, 'SES throttled the sends: pace slowed');
    else if (after === 1 && before > 1) logger.info({ campaignId }, 'pace back to the configured rate');
  }

  private async countErrors(campaignId: number, outcomes: Outcome[], lastError: string | undefined): Promise<void> {
    // Throttling is the pace of the account speaking, not an error of the campaign.
    const failures = outcomes.filter((o) => o === 'failed').length;
    const succeeded = outcomes.includes('sent');
    if (!failures && !succeeded) return;
    const inARow = await this.deps.campaigns.countError(campaignId, { reset: succeeded, add: failures });
    if (inARow >= this.deps.sendErrorLimit) {
      await this.deps.campaigns.pause(
        campaignId,
        `${inARow} send errors in a row; the last: ${lastError ?? 'unknown'}`,
      );
    }
  }

  private async templatesOf(campaignId: number): Promise<CampaignTemplates> {
    let cached = this.templates.get(campaignId);
    if (!cached) {
      const templates = (await this.deps.campaigns.templates(campaignId)) ?? undefined;
      if (!templates) throw new Error(`Campaign ${campaignId} has no compiled templates`);
      const gates = Object.fromEntries(Object.entries(templates).map(([lang, c]) => [lang, blockGates(c.audiences)]));
      cached = { templates, gates, gated: Object.values(gates).some((g) => g.length > 0), stored: new Map() };
      if (this.templates.size >= TEMPLATE_CACHE_SIZE) this.templates.delete(this.templates.keys().next().value!);
      this.templates.set(campaignId, cached);
    }
    return cached;
  }
}

// The welcome mail: a bulletin an admin marks and turns on becomes a campaign of its own kind,
// prepared as any send (rendered once per language) and kept open while the welcome mail is on;
// each person who confirms gets one row in it (src/sending/welcome-store.ts) and one batch job.
import type { BulletinStore } from '../bulletins/bulletin-store.js';
import { AppError } from '../errors.js';
import type { BulletinRenderer } from '../render/bulletin-renderer.js';
import { FINAL_CAMPAIGN_STATES } from './campaign-states.js';
import type { CampaignStore } from './campaign-store.js';
import type { WelcomeMailStatus } from './schemas.js';
import type { SendQueues } from './send-queues.js';
import type { WelcomeDelivery, WelcomeStore } from './welcome-store.js';

export class WelcomeMail {
  constructor(
    private readonly deps: {
      welcome: WelcomeStore;
      campaigns: CampaignStore;
      bulletins: BulletinStore;
      renderer: BulletinRenderer;
      queues: SendQueues;
    },
  ) {}

  async status(): Promise<WelcomeMailStatus> {
    const { welcome, campaigns, bulletins } = this.deps;
    const [state, all] = await Promise.all([welcome.state(), welcome.campaigns()]);
    const bulletin = state.bulletinId === null ? undefined : await bulletins.get(state.bulletinId);
    const live = state.campaignId === null ? undefined : await campaigns.get(state.campaignId);
    return {
      enabled: live !== undefined,
      bulletinId: state.bulletinId,
      bulletinTitle: bulletin?.document.title ?? null,
      campaignId: live?.id ?? null,
      outdated: live !== undefined && bulletin !== undefined && live.bulletinVersionId !== bulletin.versionId,
      campaigns: all,
    };
  }

  /**
   * Marks the bulletin as the welcome mail and turns it on with the bulletin's current version,
   * once its pre-send checks find no error: a welcome campaign is made and prepared. Turned on again
   * after the bulletin changed, a new campaign takes the new version; the earlier one ends once the
   * mail it holds has gone. The same version already live changes nothing. (Saving the bulletin does
   * not change the live mail by itself: an edit goes to new readers only once an admin turns it on
   * again, past the checks.)
   */
  async turnOn(bulletinId: number): Promise<WelcomeMailStatus> {
    const { welcome, campaigns, bulletins, renderer, queues } = this.deps;
    const bulletin = await bulletins.get(bulletinId);
    const findings = await renderer.checks(bulletin.document);
    const errors = findings.filter((f) => f.level === 'error');
    if (errors.length) {
      throw new AppError(
        'unprocessable',
        `The pre-send checks found ${errors.length} error(s) in bulletin ${bulletinId}; mend them before ` +
          `turning the welcome mail on: ${errors.map((e) => e.code).join(', ')}`,
        undefined,
        { findings },
      );
    }
    const before = await welcome.state();
    const current = before.campaignId === null ? undefined : await campaigns.get(before.campaignId);
    // Already live, or being prepared: nothing to do. One that could not be prepared is made again.
    if (current?.bulletinVersionId === bulletin.versionId && !FINAL_CAMPAIGN_STATES.includes(current.state))
      return this.status();
    const now = new Date();
    const campaign = await campaigns.create({
      bulletinId,
      bulletinVersionId: bulletin.versionId,
      segmentId: null,
      // No one: the welcome campaign has no audience of its own, only the rows confirmations add.
      rule: { any: [] },
      topic: null,
      scheduledAt: now.toISOString(),
      tracking: 'aggregate',
      archive: false,
      kind: 'welcome',
    });
    await welcome.setState({ bulletinId, campaignId: campaign.id });
    if (current) await campaigns.finish(current.id);
    // Redis away: the campaign waits 'scheduled' for the sweep; confirmations add their rows meanwhile.
    await queues.scheduleStart(campaign.id, now);
    return this.status();
  }

  /**
   * Turns the welcome mail off, the bulletin kept marked: no one who confirms from now on gets it.
   * The mail already queued still goes; the campaign then ends `sent`.
   */
  async turnOff(bulletinId?: number): Promise<WelcomeMailStatus> {
    const { welcome, campaigns, bulletins } = this.deps;
    const before = await welcome.state();
    if (bulletinId !== undefined) await bulletins.get(bulletinId); // 404 before anything changes
    await welcome.setState({ bulletinId: bulletinId ?? before.bulletinId, campaignId: null });
    if (before.campaignId !== null) await campaigns.finish(before.campaignId);
    return this.status();
  }

  /**
   * Queues the welcome mail of someone who has just confirmed, once the confirmation is committed:
   * a batch of their one row, paced, checked and claimed as every send's. Redis away or the job
   * lost, the row waits `queued` and the worker's sweep queues it.
   */
  async dispatch(delivery: WelcomeDelivery): Promise<void> {
    await this.deps.queues.enqueueDelivery(delivery);
  }
}

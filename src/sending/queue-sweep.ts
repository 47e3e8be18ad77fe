// The sweep that gives back to the queue what Redis lost: a Redis that restarts empty forgets every
// start and batch job, and the campaigns they served would wait forever. The database knows which
// campaigns still have work; Redis knows which have a job. A campaign with work and no job gets
// its start queued again, under a deterministic job id.
import type { Logger } from 'pino';
import type { CampaignStore } from './campaign-store.js';
import type { DeliveryLedger } from './delivery-ledger.js';
import type { SendQueues } from './send-queues.js';

/** How long one sweep may hold the lock that keeps other workers' sweeps out; it ends sooner. */
const LOCK_MS = 60_000;

export class QueueSweep {
  constructor(
    private readonly deps: { campaigns: CampaignStore; ledger: DeliveryLedger; queues: SendQueues; logger: Logger },
  ) {}

  /**
   * One sweep; returns the ids of the campaigns it queued again (none while another worker sweeps).
   * A `scheduled` or `preparing` campaign gets its first start (at its time) again: starting is
   * idempotent. A `sending` one gets a new run, which queues its `queued` rows in new batches; its
   * rows left `sending` become `unknown` first, since no job is left to settle them.
   */
  async sweep(): Promise<number[]> {
    const { campaigns, ledger, queues, logger } = this.deps;
    const release = await queues.lock('queue-sweep', LOCK_MS);
    if (!release) return [];
    try {
      const unfinished = await campaigns.unfinished();
      if (unfinished.length === 0) return [];
      // Read after the campaigns: a job added meanwhile (a send, a resume) is seen.
      const pending = await queues.pendingCampaigns();
      const requeued: number[] = [];
      for (const campaign of unfinished.filter((c) => !pending.has(c.id))) {
        if (campaign.state === 'sending') {
          const abandoned = await ledger.markJoblessAbandoned(campaign.id);
          // Finished since the read, or resumed or retried by staff (a run of its own): nothing to do.
          if (!(await campaigns.requeueLost(campaign.id, campaign.run))) continue;
          await queues.scheduleStart(campaign.id, new Date(), campaign.run + 1);
          logger.warn({ campaignId: campaign.id, abandoned }, 'a sending campaign had no job: its rows queued again');
        } else {
          await queues.scheduleStart(campaign.id, new Date(campaign.scheduledAt), campaign.run);
          logger.warn({ campaignId: campaign.id, state: campaign.state }, 'a campaign had no start job: queued again');
        }
        requeued.push(campaign.id);
      }
      return requeued;
    } finally {
      await release();
    }
  }
}

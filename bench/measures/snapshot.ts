// The snapshot a send starts with: every eligible subscriber of the audience written to the
// campaign's delivery ledger (DeliveryLedger.snapshotAudience, one INSERT … SELECT), in rows a
// second for 100,000 subscribers, on each database: the median of three campaigns to them. Each
// campaign row is made as a send makes it; only the snapshot is timed.
import { benchData } from '../support/bench-data.js';
import { median } from '../support/median.js';
import { scaled, type BenchContext, type Measure } from './measure.js';

const RUNS = 3;

export const measure: Measure = async (context) => ({
  snapshot_per_s_sqlite: await snapshotPerS(context, 'sqlite'),
  snapshot_per_s_postgres: await snapshotPerS(context, 'postgres'),
});

async function snapshotPerS(context: BenchContext, kind: 'sqlite' | 'postgres'): Promise<number> {
  const subscribers = scaled(context, 100_000, 1000);
  const data = await benchData(kind, subscribers);
  try {
    const { bulletins, campaigns, ledger } = data.stores;
    const bulletin = await bulletins.get(data.bulletinId);
    const rates: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // As CampaignService.send creates it, and the start job moves it on before the snapshot.
      const campaign = await campaigns.create({
        bulletinId: bulletin.id,
        bulletinVersionId: bulletin.versionId,
        segmentId: null,
        rule: { all: [] },
        topic: bulletin.document.topic ?? null,
        scheduledAt: new Date().toISOString(),
        tracking: 'aggregate',
        archive: false,
      });
      await campaigns.start(campaign.id, '');

      const started = performance.now();
      const rows = await ledger.snapshotAudience(campaign, bulletin.document.languages, new Date());
      const seconds = (performance.now() - started) / 1000;
      if (rows !== subscribers) throw new Error(`the snapshot wrote ${rows} rows for ${subscribers} subscribers`);
      rates.push(rows / seconds);
    }
    context.log(
      `snapshot ${kind}: ${subscribers.toLocaleString('en')} ledger rows a campaign, ` +
        `${rates.map((r) => `${(subscribers / r).toFixed(2)} s`).join(', ')}`,
    );
    return median(rates);
  } finally {
    await data.drop();
  }
}

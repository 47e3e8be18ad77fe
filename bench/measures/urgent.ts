// Urgent sends go first (docs/sending.md): an urgent send of 2,000 alone, and the same started
// while a normal send of 20,000 is in progress, at a send rate the limiter binds, in this process
// as `npm start` runs the worker, against the stub SES. SQLite, the default install. The urgent
// send's time is from the send call to its last row sent. The limiter's pace varies from batch to
// batch, so each case runs ROUNDS times and the medians are compared: first alone, then one after
// the other beside the same normal send, still in progress. The normal send is cancelled once
// the urgent ones are out, its remaining jobs thrown away with the queue.
import { pino } from 'pino';
import type { Rule } from '../../src/audience/rules.js';
import type { Priority } from '../../src/sending/schemas.js';
import { createSending, type Sending } from '../../src/stores.js';
import { startWorker } from '../../workers/worker.js';
import { addReaders, BENCH_SENDER, benchData, type BenchData, closeSending } from '../support/bench-data.js';
import { median } from '../support/median.js';
import { startSesStub } from '../support/ses-stub.js';
import { scaledUpTo, type Measure } from './measure.js';

/**
 * SES_MAX_SEND_RATE for the run: the default rate, well under what the pipeline sends on two cores
 * (docs/performance.md), so the limiter, not the machine, sets the pace both sends share.
 */
const SEND_RATE = 200;
const URGENT_DOMAIN = 'urgent.example.net';
const WARM_UP_DOMAIN = 'warm-up.example.net';
/** Where bench-data's subscribers are: the normal send goes to all of them. */
const BULK_RULE: Rule = { emailDomain: 'example.org' };
/** The normal send is under way when this share of it has gone: most of its batches still wait. */
const HEAD_START = 1 / 40;
const POLL_MS = 20;
const ROUNDS = 3;

export const measure: Measure = async (ctx) => {
  // At the test's scale, still enough batches to be in progress through the urgent rounds. Sends
  // at a fixed rate take ten times as long at ten times the size, and say nothing more: the sizes
  // stop at scale 1's.
  const bulk = scaledUpTo(ctx, 20_000, 20_000, 2_000);
  const urgent = scaledUpTo(ctx, 2_000, 2_000);
  const stub = await startSesStub();
  try {
    const data = await benchData('sqlite', bulk, { SES_ENDPOINT: stub.url, SES_MAX_SEND_RATE: String(SEND_RATE) });
    try {
      await addReaders(data, URGENT_DOMAIN, urgent);
      await addReaders(data, WARM_UP_DOMAIN, scaledUpTo(ctx, 200, 200));
      const sending = createSending(data.stores, data.config, stub.url);
      const worker = await startWorker({
        config: data.config,
        logger: pino({ level: 'warn' }),
        stores: data.stores,
        sending,
      });
      let bulkId: number | undefined;
      try {
        // Not measured: loads the modules, warms the JIT and the queue scripts.
        await finished(data, await send(data, sending, { emailDomain: WARM_UP_DOMAIN }, 'normal'));
        const alone = [];
        for (let round = 0; round < ROUNDS; round++) {
          alone.push(await urgentSend(data, sending));
          ctx.log(
            `urgent: ${urgent} alone, first mail after ${alone.at(-1)!.firstMs} ms, all in ${alone.at(-1)!.totalMs} ms`,
          );
        }

        bulkId = await send(data, sending, BULK_RULE, 'normal');
        const headStart = Math.max(1, Math.floor(bulk * HEAD_START));
        while ((await sentCount(data, bulkId)) < headStart) await pause();
        const beside = [];
        for (let round = 0; round < ROUNDS; round++) {
          const bulkBefore = await sentCount(data, bulkId);
          const inProgress = (await data.stores.campaigns.get(bulkId)).state === 'sending';
          beside.push(await urgentSend(data, sending));
          const bulkDuring = (await sentCount(data, bulkId)) - bulkBefore;
          ctx.log(
            `urgent: ${urgent} beside a normal send of ${bulk} (${bulkBefore} sent before it` +
              `${inProgress ? '' : ', and over: too small a scale'}), first mail after ${beside.at(-1)!.firstMs} ms, ` +
              `all in ${beside.at(-1)!.totalMs} ms; the normal send sent ${bulkDuring} meanwhile`,
          );
        }
        const total = (runs: { totalMs: number }[]) => median(runs.map((r) => r.totalMs));
        return {
          urgent_slowdown: Math.round((total(beside) / total(alone)) * 100) / 100,
          urgent_first_mail_ms: median(beside.map((r) => r.firstMs)),
        };
      } finally {
        if (bulkId !== undefined) await sending.service.cancel(bulkId).catch(() => {});
        await worker.close();
        await closeSending(sending);
      }
    } finally {
      await data.drop();
    }
  } finally {
    stub.close();
  }
};

/** The urgent send, from the call to its end: when its first row and its last were sent, in ms after the call. */
async function urgentSend(data: BenchData, sending: Sending): Promise<{ firstMs: number; totalMs: number }> {
  const started = Date.now();
  const id = await send(data, sending, { emailDomain: URGENT_DOMAIN }, 'urgent');
  await finished(data, id);
  const { first, last } = await data.database.db
    .selectFrom('deliveries')
    .select((eb) => [eb.fn.min('sent_at').as('first'), eb.fn.max('sent_at').as('last')])
    .where('campaign_id', '=', id)
    .executeTakeFirstOrThrow();
  return { firstMs: Date.parse(String(first)) - started, totalMs: Date.parse(String(last)) - started };
}

async function send(data: BenchData, sending: Sending, rule: Rule, priority: Priority): Promise<number> {
  const { campaign } = await sending.service.send(
    data.bulletinId,
    { rule, tracking: 'aggregate', archive: false, resend: true, priority },
    BENCH_SENDER,
  );
  return campaign.id;
}

async function finished({ stores }: BenchData, id: number): Promise<void> {
  for (;;) {
    const { state } = await stores.campaigns.get(id);
    if (state === 'sent') return;
    if (!['scheduled', 'preparing', 'sending'].includes(state)) throw new Error(`The bench campaign ended ${state}`);
    await pause();
  }
}

/** Rows of the campaign sent so far: one indexed count, (campaign_id, status). */
async function sentCount({ database }: BenchData, id: number): Promise<number> {
  const row = await database.db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', id)
    .where('status', '=', 'sent')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const pause = () => new Promise((resolve) => setTimeout(resolve, POLL_MS));

// The send pipeline beside the SES client's own ceiling. The ceiling is a bare loop of SendEmail
// calls through the client Pregón builds, at the worker's concurrency; the pipeline is a whole
// campaign (send → start job → batch jobs → the real worker → SES), in this process as `npm start`
// runs it, against the same stub SES in a process of its own. SQLite, the default install. A
// small campaign first warms the pipeline up, and the ceiling's calls are made half before the
// measured campaign and half after it, so that a busy machine weighs on both alike.
// CPU per mail is this process's CPU time (user + system) over the measured campaign, which is
// the worker's and the web side's (the send call, the bench's polling: a small share); the stub
// SES runs in a process of its own and is not counted. The same campaign then goes out once more
// through a worker in bulk mode (SES_SEND_MODE=bulk), warmed up the same way: bulk_over_simple
// is recipients per CPU-second in bulk mode over the same in simple mode.
import { pino } from 'pino';
import type { Rule } from '../../src/audience/rules.js';
import { personalise, recipientLinks } from '../../src/render/personalise.js';
import { fromAddress } from '../../src/sending/from-address.js';
import { pacing } from '../../src/sending/send-queues.js';
import type { OutgoingMessage, Sender } from '../../src/sending/ses-sender.js';
import { createSending, type Sending } from '../../src/stores.js';
import { BATCH_CONCURRENCY, type RunningWorker, startWorker } from '../../workers/worker.js';
import { addReaders, BENCH_SENDER, benchData, type BenchData, closeSending } from '../support/bench-data.js';
import { startSesStub } from '../support/ses-stub.js';
import { scaled, scaledUpTo, type BenchContext, type Measure } from './measure.js';

/**
 * SES_MAX_SEND_RATE for the run: the most the configuration allows. Batches are then 50 rows and
 * the limiter lets one start every 5 ms, 10,000 messages a second, several times what one process
 * can send, so the limiter never binds and what is measured is the pipeline's own cost.
 */
const SEND_RATE = 10_000;
/**
 * SendEmail calls in the ceiling's loop: enough for a steady rate, in a fraction of the pipeline's time. Like
 * the warm-up, it stops growing past scale 1: a rate is steady long before, and the scale-10 run has 30 minutes.
 */
const CEILING_MESSAGES = 10_000;
/** Subscribers of the campaign that warms up the pipeline before the measured one. */
const WARM_UP_RECIPIENTS = 1_000;
const WARM_UP_DOMAIN = 'warm-up.example.net';
/** Where bench-data's subscribers are: the measured campaign goes to all of them. */
const RECIPIENTS_DOMAIN = 'example.org';
/** How often the bench looks whether the campaign is over: one indexed read of one row. */
const POLL_MS = 20;

export const measure: Measure = async (ctx) => {
  const recipients = scaled(ctx, 20_000);
  const stub = await startSesStub();
  try {
    const data = await benchData('sqlite', recipients, {
      SES_ENDPOINT: stub.url,
      SES_MAX_SEND_RATE: String(SEND_RATE),
    });
    try {
      // A first campaign, not measured, loads the modules, warms the JIT and the queue scripts, as
      // the ceiling's first calls do.
      await addReaders(data, WARM_UP_DOMAIN, scaledUpTo(ctx, WARM_UP_RECIPIENTS, WARM_UP_RECIPIENTS));
      const sending = createSending(data.stores, data.config, stub.url);
      const worker = await startWorker({
        config: data.config,
        logger: pino({ level: 'warn' }),
        stores: data.stores,
        sending,
      });
      let bulkWorker: RunningWorker | undefined;
      try {
        const warmUp = await campaign(ctx, data, sending, { emailDomain: WARM_UP_DOMAIN });
        const ceilingMessages = scaledUpTo(ctx, CEILING_MESSAGES, CEILING_MESSAGES);
        const loop = await ceilingLoop(ctx, data, sending.sender, warmUp.campaignId);
        const before = await loop(Math.ceil(ceilingMessages / 2));
        const pipeline = await campaign(ctx, data, sending, { emailDomain: RECIPIENTS_DOMAIN });
        if (pipeline.sent !== recipients) throw new Error(`The bench campaign sent ${pipeline.sent} of ${recipients}`);
        const after = await loop(Math.floor(ceilingMessages / 2));
        const ceiling = ceilingMessages / (before + after);
        const pipelinePerSecond = pipeline.sent / pipeline.seconds;
        ctx.log(
          `sdk ceiling: ${ceilingMessages} SendEmail calls in ${(before + after).toFixed(1)} s, ` +
            'half before the campaign and half after',
        );

        // The same campaign, from a worker in bulk mode: warmed up as the first was.
        await worker.close();
        bulkWorker = await startWorker({
          config: { ...data.config, sesSendMode: 'bulk' },
          logger: pino({ level: 'warn' }),
          stores: data.stores,
          sending,
        });
        await campaign(ctx, data, sending, { emailDomain: WARM_UP_DOMAIN }, 'bulk');
        const bulk = await campaign(ctx, data, sending, { emailDomain: RECIPIENTS_DOMAIN }, 'bulk');
        if (bulk.sent !== recipients) throw new Error(`The bulk campaign sent ${bulk.sent} of ${recipients}`);
        return {
          sdk_ceiling_per_s: Math.round(ceiling),
          pipeline_per_s: Math.round(pipelinePerSecond),
          pipeline_over_ceiling: Math.round((pipelinePerSecond / ceiling) * 100) / 100,
          cpu_ms_per_mail: Math.round(pipeline.cpuMsPerMail * 100) / 100,
          // Recipients per CPU-second, bulk over simple: the inverse ratio of CPU per mail.
          bulk_over_simple: Math.round((pipeline.cpuMsPerMail / bulk.cpuMsPerMail) * 10) / 10,
        };
      } finally {
        await (bulkWorker ?? worker).close();
        await closeSending(sending);
      }
    } finally {
      await data.drop();
    }
  } finally {
    stub.close();
  }
};

/**
 * A campaign of the example bulletin to `rule`: rows sent, seconds from the send call to the last
 * row sent, and this process's CPU time per row sent, in ms.
 */
async function campaign(
  ctx: BenchContext,
  data: BenchData,
  sending: Sending,
  rule: Rule,
  mode: 'simple' | 'bulk' = 'simple',
): Promise<{ campaignId: number; sent: number; seconds: number; cpuMsPerMail: number }> {
  const { stores } = data;
  const cpu = process.cpuUsage();
  const started = Date.now();
  const {
    campaign: { id },
  } = await sending.service.send(
    data.bulletinId,
    {
      rule,
      tracking: 'aggregate',
      archive: false,
      resend: true,
    },
    BENCH_SENDER,
  );
  for (;;) {
    const { state } = await stores.campaigns.get(id);
    if (state === 'sent') break;
    if (!['scheduled', 'preparing', 'sending'].includes(state)) throw new Error(`The bench campaign ended ${state}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const { counts } = await stores.campaignReports.report(id);
  const last = await data.database.db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.max('sent_at').as('last'))
    .where('campaign_id', '=', id)
    .executeTakeFirstOrThrow();
  const { user, system } = process.cpuUsage(cpu);
  const cpuMsPerMail = (user + system) / 1000 / counts.sent;
  const seconds = (Date.parse(String(last.last)) - started) / 1000;
  ctx.log(
    `pipeline (${mode}): a campaign to ${counts.total} (${JSON.stringify(rule)}): ` +
      `${counts.sent} sent in ${seconds.toFixed(1)} s, ${cpuMsPerMail.toFixed(3)} ms of this process's CPU each`,
  );
  return { campaignId: id, sent: counts.sent, seconds, cpuMsPerMail };
}

/**
 * SendEmail calls alone, shaped as the worker sends: BATCH_CONCURRENCY lanes, each sending a
 * batch of pacing(rate).batchSize messages at once and waiting for all of them. The message is a
 * real personalised copy of a campaign's compiled templates, one per language in the subscribers'
 * mix, so each HTTP body is as large as the pipeline's. Returns a loop that sends `count` messages
 * and says how many seconds they took.
 */
async function ceilingLoop(
  ctx: BenchContext,
  data: BenchData,
  sender: Sender,
  campaignId: number,
): Promise<(count: number) => Promise<number>> {
  const { stores, config } = data;
  const { batchSize } = pacing(SEND_RATE);
  const templates = (await stores.campaigns.templates(campaignId))!;
  const settings = await stores.settings.get();
  const copies = new Map(
    Object.entries(templates).map(([language, template]) => [
      language,
      personalise(
        template,
        { subscriberId: 1, email: 'person1@example.org', name: 'Person 1' },
        recipientLinks(stores.signer, config.publicUrl, { subscriberId: 1, campaignId, language }),
      ),
    ]),
  );
  // The measured campaign's mix of languages: message i is in the language of its i-th subscriber.
  const languages = (
    await data.database.db
      .selectFrom('subscribers')
      .select('language')
      .where('email', 'like', `%@${RECIPIENTS_DOMAIN}`)
      .orderBy('id')
      .execute()
  ).map((r) => r.language);
  const fallback = copies.values().next().value!;
  const message = (i: number): OutgoingMessage => ({
    from: fromAddress(settings, config.mailFrom),
    to: `person${i}@example.org`,
    replyTo: settings.replyTo || undefined,
    ...(copies.get(languages[i % languages.length]!) ?? fallback),
    tags: { campaign: String(campaignId), delivery: String(i) },
  });
  const loop = async (count: number): Promise<number> => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    let next = 0;
    const lane = async () => {
      while (next < count) {
        const batch = Array.from({ length: Math.min(batchSize, count - next) }, () => message(next++));
        await Promise.all(batch.map((m) => sender.send(m)));
      }
    };
    await Promise.all(Array.from({ length: BATCH_CONCURRENCY }, lane));
    const seconds = (performance.now() - started) / 1000;
    ctx.log(
      `sdk ceiling: ${count} SendEmail calls, ${BATCH_CONCURRENCY} × ${batchSize} at once: ` +
        `${seconds.toFixed(1)} s, ${cpuMs(cpu, count)} ms of CPU each`,
    );
    return seconds;
  };
  await loop(BATCH_CONCURRENCY * batchSize); // warm-up: sockets open, the JIT warm
  return loop;
}

/** CPU time (user + system) since `before`, per message, in ms. */
function cpuMs(before: NodeJS.CpuUsage, messages: number): string {
  const { user, system } = process.cpuUsage(before);
  return ((user + system) / 1000 / messages).toFixed(2);
}

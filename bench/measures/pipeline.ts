// The send pipeline beside the SES client's own ceiling. The ceiling is a bare loop of SendEmail
// calls through the client Pregón builds, at the worker's concurrency; the pipeline is a whole
// campaign (send → start job → batch jobs → the real worker → SES), in this process as `npm start`
// runs it, against the same stub SES in a process of its own. SQLite, the default install.
import { pino } from 'pino';
import { personalise, recipientLinks } from '../../src/render/personalise.js';
import { fromAddress } from '../../src/sending/from-address.js';
import { pacing } from '../../src/sending/send-queues.js';
import type { OutgoingMessage, Sender } from '../../src/sending/ses-sender.js';
import { createSending, type Sending } from '../../src/stores.js';
import { BATCH_CONCURRENCY, startWorker } from '../../workers/worker.js';
import { benchData, type BenchData } from '../support/bench-data.js';
import { startSesStub } from '../support/ses-stub.js';
import { scaled, type BenchContext, type Measure } from './measure.js';

/**
 * SES_MAX_SEND_RATE for the run: the most the configuration allows. Batches are then 50 rows and
 * the limiter lets one start every 5 ms, 10,000 messages a second, several times what one process
 * can send, so the limiter never binds and what is measured is the pipeline's own cost.
 */
const SEND_RATE = 10_000;
/** SendEmail calls in the ceiling's loop: enough for a steady rate, in a fraction of the pipeline's time. */
const CEILING_MESSAGES = 10_000;
/** How often the bench looks whether the campaign is over: one indexed read of one row. */
const POLL_MS = 20;

export const measure: Measure = async (ctx) => {
  const recipients = scaled(ctx, 20_000);
  const stub = await startSesStub();
  try {
    const data = await benchData('sqlite', recipients, { SES_ENDPOINT: stub.url, SES_MAX_SEND_RATE: String(SEND_RATE) });
    try {
      const sending = createSending(data.stores, data.config, stub.url);
      try {
        const { campaignId, perSecond: pipeline } = await pipelineRun(ctx, data, sending, recipients);
        const ceiling = await sdkCeiling(ctx, data, sending.sender, campaignId, scaled(ctx, CEILING_MESSAGES));
        return { sdk_ceiling_per_s: Math.round(ceiling), pipeline_per_s: Math.round(pipeline), pipeline_over_ceiling: Math.round((pipeline / ceiling) * 100) / 100 };
      } finally {
        await sending.queues.campaigns.obliterate({ force: true });
        await sending.queues.deliveries.obliterate({ force: true });
        await sending.close();
      }
    } finally {
      await data.drop();
    }
  } finally {
    stub.close();
  }
};

/** A whole campaign to every subscriber: recipients per second from the send call to the last row sent. */
async function pipelineRun(ctx: BenchContext, data: BenchData, sending: Sending, recipients: number): Promise<{ campaignId: number; perSecond: number }> {
  const { stores, config } = data;
  const worker = await startWorker({ config, logger: pino({ level: 'warn' }), stores, sending });
  try {
    ctx.log(`pipeline: a campaign to ${recipients.toLocaleString('en')} subscribers, SES_MAX_SEND_RATE=${SEND_RATE}`);
    const cpu = process.cpuUsage();
    const started = Date.now();
    const campaign = await sending.service.send(data.bulletinId, { rule: { all: [] }, tracking: 'aggregate' });
    for (;;) {
      const { state } = await stores.campaigns.get(campaign.id);
      if (state === 'sent') break;
      if (!['scheduled', 'preparing', 'sending'].includes(state)) throw new Error(`The bench campaign ended ${state}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const { counts } = await stores.campaigns.report(campaign.id);
    if (counts.sent !== recipients) throw new Error(`The bench campaign sent ${counts.sent} of ${recipients}`);
    const last = await data.database.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.max('sent_at').as('last'))
      .where('campaign_id', '=', campaign.id)
      .executeTakeFirstOrThrow();
    const seconds = (Date.parse(String(last.last)) - started) / 1000;
    ctx.log(`pipeline: ${counts.sent} sent in ${seconds.toFixed(1)} s, ${cpuMs(cpu, counts.sent)} ms of this process's CPU each`);
    return { campaignId: campaign.id, perSecond: counts.sent / seconds };
  } finally {
    await worker.close();
  }
}

/**
 * SendEmail calls alone, shaped as the worker sends: BATCH_CONCURRENCY lanes, each sending a
 * batch of pacing(rate).batchSize messages at once and waiting for all of them. The message is a
 * real personalised copy of the campaign just sent, so each HTTP body is as large as the pipeline's.
 */
async function sdkCeiling(ctx: BenchContext, data: BenchData, sender: Sender, campaignId: number, messages: number): Promise<number> {
  const { stores, config } = data;
  const { batchSize } = pacing(SEND_RATE);
  const templates = (await stores.campaigns.templates(campaignId))!;
  const [language, template] = Object.entries(templates)[0]!;
  const settings = await stores.settings.get();
  const copy = personalise(
    template,
    { subscriberId: 1, email: 'person1@example.org', name: 'Person 1' },
    recipientLinks(stores.signer, config.publicUrl, { subscriberId: 1, campaignId, language }),
  );
  const message = (i: number): OutgoingMessage => ({
    from: fromAddress(settings, config.mailFrom),
    to: `person${i}@example.org`,
    replyTo: settings.replyTo || undefined,
    ...copy,
    tags: { campaign: String(campaignId), delivery: String(i) },
  });
  const loop = async (count: number) => {
    let next = 0;
    const lane = async () => {
      while (next < count) {
        const batch = Array.from({ length: Math.min(batchSize, count - next) }, () => message(next++));
        await Promise.all(batch.map((m) => sender.send(m)));
      }
    };
    await Promise.all(Array.from({ length: BATCH_CONCURRENCY }, lane));
  };
  await loop(Math.min(messages, BATCH_CONCURRENCY * batchSize)); // warm-up: sockets open
  ctx.log(`sdk ceiling: ${messages.toLocaleString('en')} SendEmail calls, ${BATCH_CONCURRENCY} × ${batchSize} at once, ${(copy.html.length / 1024).toFixed(1)} KB of HTML each`);
  const cpu = process.cpuUsage();
  const started = performance.now();
  await loop(messages);
  const seconds = (performance.now() - started) / 1000;
  ctx.log(`sdk ceiling: ${messages} sent in ${seconds.toFixed(1)} s, ${cpuMs(cpu, messages)} ms of CPU each`);
  return messages / seconds;
}

/** CPU time (user + system) since `before`, per message, in ms. */
function cpuMs(before: NodeJS.CpuUsage, messages: number): string {
  const { user, system } = process.cpuUsage(before);
  return ((user + system) / 1000 / messages).toFixed(2);
}

// worker_rss_mb_small, worker_rss_mb_large: the peak RSS of the worker process (as `npm run worker`
// runs it: its compiled JavaScript, with the script's node flags) over a campaign of 10,000 and one
// of 100,000 recipients (200,000 from scale 2 on: the size at scale 10), each in a fresh
// worker, against the stub SES. The bench process creates the campaign; the worker sends it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSending } from '../../src/stores.js';
import { BENCH_SENDER, benchData, benchEnv, closeSending, inheritedEnv } from '../support/bench-data.js';
import { startSesStub, type SesStub } from '../support/ses-stub.js';
import {
  buildWorker,
  startWorkerProcess,
  waitForWorkers,
  type WorkerCommand,
  workerCommand,
  type WorkerProcess,
} from '../support/worker-process.js';
import { scaledUpTo, type BenchContext, type Measure } from './measure.js';

/**
 * The most the config allows (a batch of 50 every 5 ms): far above the worker's own pace, so the
 * limiter never binds.
 */
const SEND_RATE = '10000';
const SAMPLE_MS = 100;
/** The large campaign at scale 10: the 200,000 recipients, a list of a million's largest send. */
const LARGE_MAX = 200_000;

export interface WorkerPeak {
  /** RSS once the worker had started, before the campaign. */
  idleMb: number;
  /** The kernel's high-water mark of the worker's RSS (VmHWM) at the end of the campaign. */
  peakMb: number;
  seconds: number;
}

export const measure: Measure = async (context) => {
  buildWorker();
  const stub = await startSesStub();
  try {
    // The small campaign is the baseline the large one is compared with: it stays at its size.
    const small = await campaignPeak(context, stub, scaledUpTo(context, 10_000, 10_000));
    const large = await campaignPeak(context, stub, scaledUpTo(context, 100_000, LARGE_MAX));
    return { worker_rss_mb_small: round(small.peakMb), worker_rss_mb_large: round(large.peakMb) };
  } finally {
    stub.close();
  }
};

/**
 * One campaign of `recipients` sent by a fresh worker process started as `command` says (by default
 * as `npm run worker` starts it; e.g. other flags to look closer): its RSS before and at its peak.
 */
export async function campaignPeak(
  context: BenchContext,
  stub: SesStub,
  recipients: number,
  command: WorkerCommand = workerCommand(),
): Promise<WorkerPeak> {
  const prefix = `bench-${randomUUID()}`;
  const data = await benchData('sqlite', recipients, {
    QUEUE_PREFIX: prefix,
    SES_ENDPOINT: stub.url,
    SES_MAX_SEND_RATE: SEND_RATE,
  });
  const sending = createSending(data.stores, data.config, stub.url);
  let worker: WorkerProcess | undefined;
  try {
    worker = startWorkerProcess(
      { ...inheritedEnv(), ...benchEnv(data.scratch, stub.url), QUEUE_PREFIX: prefix, SES_MAX_SEND_RATE: SEND_RATE },
      command,
    );
    const { pid, exited } = worker;
    await waitForWorkers(sending.queues, 1, [worker]);
    const idle = status(pid).VmRSS!;

    let sampledPeak = idle;
    const sampler = setInterval(() => {
      const rss = status(pid).VmRSS;
      if (rss !== undefined) sampledPeak = Math.max(sampledPeak, rss);
    }, SAMPLE_MS);
    const started = performance.now();
    const { campaign } = await sending.service.send(
      data.bulletinId,
      {
        rule: { all: [] },
        tracking: 'aggregate',
        archive: false,
        resend: true,
      },
      BENCH_SENDER,
    );
    try {
      for (;;) {
        const { state } = await data.stores.campaigns.get(campaign.id);
        if (state === 'sent') break;
        if (state !== 'scheduled' && state !== 'preparing' && state !== 'sending')
          throw new Error(`The campaign ended ${state}`);
        const stopped = await Promise.race([exited.then(() => true), sleep(200).then(() => false)]);
        if (stopped) throw new Error('The worker exited during the campaign');
      }
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    const end = status(pid);
    const peakKb = Math.max(end.VmHWM!, sampledPeak);
    const sent = (await data.stores.campaignReports.report(campaign.id)).counts.sent;
    if (sent !== recipients) throw new Error(`The worker sent ${sent} of ${recipients}`);
    context.log(
      `worker-memory: ${recipients} recipients in ${seconds.toFixed(1)} s; ` +
        `worker RSS idle ${mb(idle)} MB, peak ${mb(peakKb)} MB (sampled ${mb(sampledPeak)} MB)`,
    );

    await worker.stop();
    return { idleMb: kb(idle), peakMb: kb(peakKb), seconds };
  } finally {
    worker?.kill();
    await closeSending(sending);
    await data.drop();
  }
}

/** The fields of /proc/<pid>/status in kB (empty once the process is gone). */
function status(pid: number): Record<string, number> {
  try {
    const fields: Record<string, number> = {};
    for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
      const match = /^(\w+):\s+(\d+) kB$/.exec(line);
      if (match) fields[match[1]!] = Number(match[2]);
    }
    return fields;
  } catch {
    return {};
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const kb = (value: number) => value / 1024;
const mb = (value: number) => kb(value).toFixed(1);
const round = (value: number) => Math.round(value * 10) / 10;

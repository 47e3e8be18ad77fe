// worker_rss_mb_small, worker_rss_mb_large: the peak RSS of the worker process (as `npm run worker`
// runs it: its compiled JavaScript, with the script's node flags) over a campaign of 10,000 and one
// of 100,000 recipients, each in a fresh worker, against the stub SES. The bench process creates
// the campaign; the worker sends it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSending, type Sending } from '../../src/stores.js';
import { BENCH_SENDER, benchData, benchEnv, closeSending, inheritedEnv } from '../support/bench-data.js';
import { startSesStub, type SesStub } from '../support/ses-stub.js';
import { scaled, type BenchContext, type Measure } from './measure.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/**
 * The most the config allows (a batch of 50 every 5 ms): far above the worker's own pace, so the
 * limiter never binds.
 */
const SEND_RATE = '10000';
const SAMPLE_MS = 100;

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
    const small = await campaignPeak(context, stub, scaled(context, 10_000));
    const large = await campaignPeak(context, stub, scaled(context, 100_000));
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
  let worker: ChildProcess | undefined;
  try {
    worker = spawn(process.execPath, command.nodeArgs, {
      cwd: ROOT,
      env: {
        ...inheritedEnv(),
        ...command.env,
        ...benchEnv(data.scratch, stub.url),
        QUEUE_PREFIX: prefix,
        SES_MAX_SEND_RATE: SEND_RATE,
      },
      stdio: ['ignore', 2, 2], // its log (warnings only) on the bench's stderr: stdout carries the figures
    });
    const exited = new Promise<void>((resolve) => worker!.once('exit', () => resolve()));
    const pid = worker.pid!;
    await waitForWorker(sending.queues, exited);
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
        if (stopped) throw new Error(`The worker exited with code ${worker.exitCode} during the campaign`);
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

    worker.kill('SIGTERM');
    await exited;
    return { idleMb: kb(idle), peakMb: kb(peakKb), seconds };
  } finally {
    if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await closeSending(sending);
    await data.drop();
  }
}

const scripts: Record<string, string> = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).scripts;

export interface WorkerCommand {
  /** Variables set before `node` (the allocator's settings). */
  env: Record<string, string>;
  /** node's flags and the compiled entry point. */
  nodeArgs: string[];
}

/**
 * How `npm run worker` (and docker-compose) starts the worker, read from package.json so the bench
 * measures what an operator runs: `[NAME=value …] node [flags …] entry.js`.
 */
export function workerCommand(): WorkerCommand {
  const words = scripts.worker!.trim().split(/\s+/);
  const node = words.indexOf('node');
  if (node < 0) throw new Error('The worker script should start node');
  const env = Object.fromEntries(words.slice(0, node).map((word) => word.split('=', 2) as [string, string]));
  return { env, nodeArgs: words.slice(node + 1) };
}

/** What `npm run worker` does first (its `preworker` script): compile the worker. */
function buildWorker(): void {
  execFileSync('npm', ['run', '--silent', 'build:worker'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
}

/** Started = both BullMQ workers of the process are connected to Redis (CLIENT LIST names them). */
async function waitForWorker(queues: Sending['queues'], exited: Promise<void>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const stopped = await Promise.race([exited.then(() => true), sleep(SAMPLE_MS).then(() => false)]);
    if (stopped) throw new Error('The worker exited before the campaign');
    if ((await queues.campaigns.getWorkersCount()) > 0 && (await queues.deliveries.getWorkersCount()) > 0) return;
  }
  throw new Error('The worker did not connect within 30 s');
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

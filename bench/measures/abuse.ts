// healthz_p99_ms_idle, healthz_p99_ms_under_abuse: the 99th percentile of GET /healthz's latency,
// idle, then while one hostile client (bench/support/abuser.ts) sends the security review's
// requests as fast as it can: gzip bodies that inflate to a megabyte, megabyte JSON bodies and
// subscribe-form variants. Three processes: Pregón's web app as `npm start` composes it (without
// the worker), on SQLite, with the stub SES; the hostile client; and this one, which asks
// /healthz one request at a time with a pause between, so that it measures the app's event loop
// and neither its own nor the hostile client's.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { benchEnv, inheritedEnv } from '../support/bench-data.js';
import { startAppProcess } from '../support/app-process.js';
import { percentile } from '../support/percentile.js';
import { scratchDatabase } from '../support/scratch-database.js';
import { startSesStub } from '../support/ses-stub.js';
import { scaledUpTo, type BenchContext, type Measure } from './measure.js';

const IDLE_MS = 10_000;
const ABUSE_MS = 20_000;
/** Between two /healthz requests: about 80 a second, a monitor's pace many times over. */
const PAUSE_MS = 10;
const ABUSER = new URL('../support/abuser.ts', import.meta.url).pathname;

interface AbuseReport {
  sent: number;
  seconds: number;
  /** The hostile client's own CPU time meanwhile. */
  cpuSeconds: number;
  statuses: Record<string, number>;
}

export const measure: Measure = async (ctx) => {
  const stub = await startSesStub();
  const scratch = await scratchDatabase('sqlite');
  try {
    // As installed: in production (React's production build), logging every request at info.
    const app = await startAppProcess({
      ...inheritedEnv(),
      ...benchEnv(scratch, stub.url),
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://news.example.org',
      LOG_LEVEL: 'info',
    });
    try {
      await healthzLatencies(app.url, 1000); // loads what the first requests load
      // Times, not list sizes: at most scale 1's, where the percentiles are already steady.
      const idle = await healthzLatencies(app.url, scaledUpTo(ctx, IDLE_MS, IDLE_MS, 1000));
      const cpuBefore = cpuSeconds(app.pid);
      const { underAbuse, report } = await whileAbused(ctx, app.url, scaledUpTo(ctx, ABUSE_MS, ABUSE_MS, 1000));
      const appCpu = cpuSeconds(app.pid) - cpuBefore;
      const answers = Object.entries(report.statuses)
        .map(([status, count]) => `${count} × ${status}`)
        .join(', ');
      ctx.log(
        `healthz: ${idle.length} requests idle, ${underAbuse.length} under abuse; hostile requests: ` +
          `${report.sent} in ${report.seconds.toFixed(1)} s (${answers}); CPU meanwhile: the app's ` +
          `${appCpu.toFixed(1)} s, the hostile client's ${report.cpuSeconds.toFixed(1)} s; ` +
          `load average ${loadavg()[0]!.toFixed(1)}`,
      );
      return {
        healthz_p99_ms_idle: round(percentile(idle, 99)),
        healthz_p99_ms_under_abuse: round(percentile(underAbuse, 99)),
        abuse_requests_per_s: Math.round(report.sent / report.seconds),
      };
    } finally {
      await app.close();
    }
  } finally {
    await scratch.drop();
    stub.close();
  }
};

/** /healthz latencies for `ms` once the hostile client has sent one of each request, then its report. */
async function whileAbused(
  ctx: BenchContext,
  url: string,
  ms: number,
): Promise<{ underAbuse: number[]; report: AbuseReport }> {
  const abuser = fork(ABUSER, [url], { execArgv: ['--import', 'tsx'], env: inheritedEnv(), stdio: 'inherit' });
  const exited = new Promise<void>((resolve) => abuser.once('exit', () => resolve()));
  try {
    await Promise.race([
      new Promise((resolve) => abuser.once('message', resolve)),
      exited.then(() => Promise.reject(new Error('The hostile client exited before it sent anything'))),
    ]);
    ctx.log(`the hostile client is sending; measuring /healthz for ${ms / 1000} s`);
    const underAbuse = await healthzLatencies(url, ms);
    const report = new Promise<AbuseReport>((resolve) => abuser.once('message', resolve));
    abuser.send('stop');
    return { underAbuse, report: await report };
  } finally {
    if (abuser.exitCode === null) abuser.kill();
    await exited;
  }
}

/** Milliseconds each GET /healthz took, one at a time, for `ms`. */
async function healthzLatencies(url: string, ms: number): Promise<number[]> {
  const latencies: number[] = [];
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const started = performance.now();
    const res = await fetch(`${url}/healthz`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  return latencies;
}

/** CPU time a process has used, user and system (Linux: /proc/<pid>/stat, in ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

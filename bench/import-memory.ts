// Measures the memory of a streamed CSV import: starts the real server (as `npm start` does),
// streams generated CSVs of 100, 20,000 and --rows lines to POST /api/subscribers/import, and
// samples the server's RSS from /proc while each import runs. Linux only (reads /proc).
//
//   npx tsx bench/import-memory.ts [--rows 100000] [--small 20000] [--db sqlite|postgres]
//                                  [--cpu-prof DIR]   (profile the server; written when it stops)
//                                  [--node-arg=--trace-gc …] [--server-log FILE] [--json FILE]
//
// PostgreSQL: BENCH_POSTGRES_URL (default postgres://root@127.0.0.1:5432/test) gets a fresh
// schema, dropped afterwards. Redis must be running (REDIS_URL, default redis://127.0.0.1:6379).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { scratchDatabase } from './support/scratch-database.js';
import { reportMatches, subscriberCsv, type ExpectedReport } from './support/subscriber-csv.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE_MS = 100;
const WARMUP_ROWS = 100;

interface Phase {
  label: string;
  rows: number;
  durationMs: number;
  bytes: number;
  baselineKb: number;
  peakKb: number;
  /** Kernel high-water mark over the phase (catches peaks between samples), when resettable. */
  hwmKb?: number;
  afterKb: number;
  samples: number;
  /** RSS split at the peak sample: anonymous (V8 heap, malloc), file-backed, shared memory. */
  atPeak: { anonKb: number; fileKb: number; shmemKb: number };
  report: ImportReport;
  expected: ExpectedReport;
}

interface ImportReport {
  rows: number;
  created: number;
  merged: number;
  failed: number;
  errors: unknown[];
}

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    small: { type: 'string', default: '20000' },
    db: { type: 'string', default: 'sqlite' },
    'cpu-prof': { type: 'string' },
    'node-arg': { type: 'string', multiple: true, default: [] },
    json: { type: 'string' },
    'server-log': { type: 'string' },
  },
});
const ROWS = Number(args.rows);
const SMALL = Number(args.small);
const DB = args.db;
if (!Number.isInteger(ROWS) || ROWS < 1 || !Number.isInteger(SMALL) || SMALL < 0)
  throw new Error('--rows and --small must be whole numbers');
if (DB !== 'sqlite' && DB !== 'postgres') throw new Error('--db must be sqlite or postgres');

const cleanups: (() => Promise<void> | void)[] = [];
async function cleanUp(): Promise<void> {
  while (cleanups.length) {
    try {
      await cleanups.pop()!();
    } catch (err) {
      console.error('cleanup failed:', err);
    }
  }
}
process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pregon-bench-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const databaseUrl = DB === 'sqlite' ? `sqlite:${join(dataDir, 'bench.db')}` : await freshPostgresSchema();

  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    SES_EMULATOR_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  delete env.SES_ENDPOINT;
  delete env.PUBLIC_URL;
  const base = `http://127.0.0.1:${port}`;

  const nodeArgs = ['--import', 'tsx'];
  if (args['cpu-prof']) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${resolve(args['cpu-prof'])}`);
  nodeArgs.push(...args['node-arg']);
  const server = startServer(nodeArgs, env);
  await waitForHealth(base, server);
  const pid = server.child.pid!;

  const token = await createToken(env);
  const auth = `Bearer ${token}`;
  // npm start made 'weekly-bulletin' with the example bulletin on the empty database
  await postJson(`${base}/api/topics`, auth, { key: 'refugees', name: { en: 'Refugees', es: 'Refugiados' } });

  const phases: Phase[] = [];
  await measure('warm-up', WARMUP_ROWS, 'warmup.example.org');
  await settle();
  const baselineKb = rssKb(pid);
  if (SMALL > 0) phases.push(await measure(`${SMALL / 1000}k`, SMALL, `r${SMALL}.example.org`));
  phases.push(await measure(`${ROWS / 1000}k`, ROWS, 'example.org'));

  async function measure(label: string, rows: number, domain: string): Promise<Phase> {
    const baseline = rssKb(pid);
    const hwmResettable = resetHwm(pid);
    const sampler = sampleRss(pid);
    const csv = subscriberCsv(rows, domain);
    const started = performance.now();
    const report = (await postCsv(`${base}/api/subscribers/import`, auth, csv.stream)) as ImportReport;
    const durationMs = performance.now() - started;
    const { peakKb, samples, atPeak } = sampler.stop();
    const hwmKb = hwmResettable ? readStatus(pid).VmHWM : undefined;
    const phase: Phase = {
      label,
      rows,
      durationMs,
      bytes: csv.bytes(),
      baselineKb: baseline,
      peakKb: Math.max(peakKb, baseline),
      ...(hwmKb !== undefined ? { hwmKb } : {}),
      afterKb: rssKb(pid),
      samples,
      atPeak: { anonKb: atPeak.RssAnon ?? 0, fileKb: atPeak.RssFile ?? 0, shmemKb: atPeak.RssShmem ?? 0 },
      report,
      expected: csv.expected,
    };
    checkReport(phase);
    console.error(
      `${label.padStart(7)}: ${rows} rows in ${(durationMs / 1000).toFixed(1)} s, ` +
        `RSS ${mb(baseline)} -> peak ${mb(phase.peakKb)}` +
        `${hwmKb !== undefined ? ` (kernel HWM ${mb(hwmKb)})` : ''}, after ${mb(phase.afterKb)} MB; ` +
        `at peak anon ${mb(phase.atPeak.anonKb)} file ${mb(phase.atPeak.fileKb)} ` +
        `shmem ${mb(phase.atPeak.shmemKb)} MB; ` +
        `report rows=${report.rows} created=${report.created} merged=${report.merged} ` +
        `failed=${report.failed} errors=${report.errors.length}`,
    );
    return phase;
  }

  const dbBytes = DB === 'sqlite' ? sqliteBytes(join(dataDir, 'bench.db')) : undefined;
  await server.stop();
  printTable(phases, baselineKb, dbBytes);
  if (args.json)
    writeFileSync(
      args.json,
      JSON.stringify({ db: DB, node: process.version, cpus: cpus().length, baselineKb, phases }, null, 2),
    );
}

// ---------------------------------------------------------------------------------------------
// The report.

function checkReport(phase: Phase): void {
  const { report, expected } = phase;
  if (!reportMatches(report, expected)) {
    const got = { rows: report.rows, created: report.created, merged: report.merged, failed: report.failed };
    console.error(
      `WARNING ${phase.label}: report ${JSON.stringify(got)} differs from expected ${JSON.stringify(expected)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The server process and its memory.

function startServer(nodeArgs: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [...nodeArgs, 'src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (data: Buffer) => {
    output = (output + data.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  if (args['server-log']) {
    const log = createWriteStream(args['server-log']);
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
  }
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };
  cleanups.push(stop);
  return { child, exited, stop, output: () => output };
}

async function waitForHealth(base: string, server: ReturnType<typeof startServer>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null)
      throw new Error(`the server exited (${server.child.exitCode}):\n${server.output()}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`the server did not answer /healthz within 60 s:\n${server.output()}`);
}

function readStatus(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const m = /^((?:Vm|Rss)\w+):\s+(\d+) kB/.exec(line);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

function rssKb(pid: number): number {
  return readStatus(pid).VmRSS!;
}

/** Resets the kernel's peak-RSS mark (VmHWM) to the current RSS; false where not allowed. */
function resetHwm(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function sampleRss(pid: number) {
  let peakKb = 0;
  let samples = 0;
  let atPeak: Record<string, number> = {};
  const take = () => {
    try {
      const status = readStatus(pid);
      samples += 1;
      if (status.VmRSS! >= peakKb) {
        peakKb = status.VmRSS!;
        atPeak = status;
      }
    } catch {
      // the process is gone; the request will fail and say so
    }
  };
  take();
  const timer = setInterval(take, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakKb, samples, atPeak };
    },
  };
}

/** Lets the server finish what the last request started (and V8 a chance to collect). */
async function settle(): Promise<void> {
  await sleep(2000);
}

// ---------------------------------------------------------------------------------------------
// HTTP and the CLI.

async function createToken(env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn('npx', ['tsx', 'src/cli.ts', 'create-token', '--name', 'bench'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((res) => child.once('exit', res));
  if (code !== 0) throw new Error(`create-token failed (${code}):\n${stdout}${stderr}`);
  const token = stdout.trim().split('\n').at(-1)?.trim();
  if (!token) throw new Error(`create-token printed no token:\n${stdout}`);
  return token;
}

async function postJson(url: string, authorization: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as unknown;
}

/**
 * Streams the body with http.request rather than fetch: undici's 300 s headers/body timeouts
 * would cut a slow import short, and this way nothing but the socket sits between the
 * generator and the server.
 */
function postCsv(url: string, authorization: string, body: Readable): Promise<unknown> {
  return new Promise((res, rej) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { 'content-type': 'text/csv', authorization } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (d: string) => (text += d));
        response.on('end', () => {
          if (response.statusCode !== 200) rej(new Error(`POST ${url}: ${response.statusCode} ${text.slice(0, 2000)}`));
          else res(JSON.parse(text) as unknown);
        });
        response.on('error', rej);
      },
    );
    req.on('error', rej);
    body.on('error', rej);
    body.pipe(req);
  });
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL schema, ports, output.

async function freshPostgresSchema(): Promise<string> {
  const database = await scratchDatabase('postgres');
  cleanups.push(() => database.drop());
  return database.url;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

function sqliteBytes(path: string): number {
  let total = 0;
  for (const file of [path, `${path}-wal`]) {
    try {
      total += statSync(file).size;
    } catch {
      // no WAL file
    }
  }
  return total;
}

const mb = (kb: number) => (kb / 1024).toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function printTable(phases: Phase[], warmBaselineKb: number, dbBytes: number | undefined): void {
  const lines = [
    '',
    `### ${DB === 'sqlite' ? 'SQLite' : 'PostgreSQL'} — node ${process.version}, ` +
      `${cpus().length} CPUs, sampled every ${SAMPLE_MS} ms`,
    '',
    '| rows | CSV | duration | rows/s | baseline RSS | peak RSS | growth | ' +
      'kernel peak (VmHWM) | report: created / merged / failed |',
    '|-----:|----:|---------:|-------:|-------------:|---------:|-------:|' +
      '--------------------:|:----------------------------------|',
  ];
  for (const p of phases) {
    const growth = p.peakKb - p.baselineKb;
    lines.push(
      `| ${p.rows.toLocaleString('en')} | ${(p.bytes / 1024 / 1024).toFixed(1)} MB | ` +
        `${(p.durationMs / 1000).toFixed(1)} s | ` +
        `${Math.round(p.rows / (p.durationMs / 1000)).toLocaleString('en')} | ` +
        `${mb(p.baselineKb)} MB | ${mb(p.peakKb)} MB | ` +
        `${growth >= 0 ? '+' : ''}${mb(growth)} MB | ${p.hwmKb !== undefined ? `${mb(p.hwmKb)} MB` : 'n/a'} | ` +
        `${p.report.created.toLocaleString('en')} / ${p.report.merged} / ${p.report.failed} ` +
        `(${p.report.errors.length} errors listed) |`,
    );
  }
  lines.push('', `Baseline after the ${WARMUP_ROWS}-row warm-up: ${mb(warmBaselineKb)} MB.`);
  if (dbBytes !== undefined) lines.push(`SQLite file (with WAL) afterwards: ${(dbBytes / 1024 / 1024).toFixed(1)} MB.`);
  console.log(lines.join('\n'));
}

try {
  await main();
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await cleanUp();
}

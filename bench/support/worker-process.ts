// The worker as `npm run worker` runs it, as a child process of the bench: its compiled JavaScript,
// with the script's node flags, read from package.json so that the bench measures what an
// operator runs.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Sending } from '../../src/stores.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const POLL_MS = 100;
const START_PATIENCE_MS = 30_000;

export interface WorkerCommand {
  /** Variables set before `node` (the allocator's settings). */
  env: Record<string, string>;
  /** node's flags and the compiled entry point. */
  nodeArgs: string[];
}

const scripts: Record<string, string> = JSON.parse(
  readFileSync(new URL('package.json', `file://${ROOT}`), 'utf8'),
).scripts;

/** How `npm run worker` (and docker-compose) starts the worker: `[NAME=value …] node [flags …] entry.js`. */
export function workerCommand(): WorkerCommand {
  const words = scripts.worker!.trim().split(/\s+/);
  const node = words.indexOf('node');
  if (node < 0) throw new Error('The worker script should start node');
  const env = Object.fromEntries(words.slice(0, node).map((word) => word.split('=', 2) as [string, string]));
  return { env, nodeArgs: words.slice(node + 1) };
}

let built = false;

/** What `npm run worker` does first (its `preworker` script): compile the worker, once a bench. */
export function buildWorker(): void {
  if (built) return;
  built = true;
  execFileSync('npm', ['run', '--silent', 'build:worker'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
}

export interface WorkerProcess {
  pid: number;
  /** Settles when the process has exited, however. */
  exited: Promise<void>;
  /** SIGTERM (the worker finishes its batches in flight), then waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, when it has not exited yet: for cleaning up after a failure. */
  kill(): void;
  /** Whether it has not exited yet. */
  alive(): boolean;
  /** Its CPU time so far, user and system, in seconds (Linux: /proc/<pid>/stat, in 1/100 s). */
  cpuSeconds(): number;
}

/** Starts a worker with `env` (its whole environment, beside the command's own variables). */
export function startWorkerProcess(env: Record<string, string>, command = workerCommand()): WorkerProcess {
  const child: ChildProcess = spawn(process.execPath, command.nodeArgs, {
    cwd: ROOT,
    env: { ...command.env, ...env },
    stdio: ['ignore', 2, 2], // its log (warnings only) on the bench's stderr: stdout carries the figures
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid!,
    exited,
    async stop() {
      if (running()) child.kill('SIGTERM');
      await exited;
    },
    kill() {
      if (running()) child.kill('SIGKILL');
    },
    alive: running,
    cpuSeconds() {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
  };
}

/**
 * Waits until `count` workers are connected to the queues (BullMQ counts each process's workers in
 * CLIENT LIST); fails when one of `workers` exits meanwhile.
 */
export async function waitForWorkers(
  queues: Sending['queues'],
  count: number,
  workers: WorkerProcess[],
): Promise<void> {
  const exited = Promise.race(workers.map((w) => w.exited)).then(() => true);
  for (let waited = 0; waited < START_PATIENCE_MS; waited += POLL_MS) {
    const stopped = await Promise.race([exited, sleep(POLL_MS).then(() => false)]);
    if (stopped) throw new Error('A worker exited before the campaign');
    const [starts, batches] = await Promise.all([
      queues.campaigns.getWorkersCount(),
      queues.deliveries.getWorkersCount(),
    ]);
    if (starts >= count && batches >= count) return;
  }
  throw new Error(`${count} workers did not connect within ${START_PATIENCE_MS / 1000} s`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

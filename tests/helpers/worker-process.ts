// A worker as its own process (`workers/main.ts`, as `npm run worker` runs it) for a test app:
// same queues, same database, mail to the given SES endpoint. Its output is kept, so a test
// that finds it dead can say why.
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { REDIS_URL, TEST_PUBLIC_URL, TEST_SECRET, type TestApp } from './app.js';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface WorkerProcessOptions {
  sesEndpoint: string;
  /** The database as the worker reaches it; the app's own by default. */
  databaseUrl?: string;
  /** More environment, e.g. SES_MAX_SEND_RATE. */
  env?: Record<string, string>;
}

export class WorkerProcess {
  readonly child: ChildProcess;
  /** What it wrote to stdout and stderr (its warnings and errors at LOG_LEVEL=warn). */
  output = '';
  /** Settles when the process has exited, with its code or the signal that ended it. */
  readonly exited: Promise<number | NodeJS.Signals>;

  constructor(app: TestApp, options: WorkerProcessOptions) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      cwd: ROOT,
      detached: true, // its own process group: a signal reaches tsx's child too
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: options.databaseUrl ?? app.db.url,
        REDIS_URL,
        QUEUE_PREFIX: app.config.queuePrefix,
        SES_ENDPOINT: options.sesEndpoint,
        APP_SECRET: TEST_SECRET,
        PUBLIC_URL: TEST_PUBLIC_URL,
        DATA_DIR: tmpdir(),
        LOG_LEVEL: 'warn',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...options.env,
      },
    });
    for (const stream of [this.child.stdout!, this.child.stderr!])
      stream.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve(code ?? signal!)));
  }

  /** Waits until its output shows `pattern` (at LOG_LEVEL=info, /worker started/ says it is ready). */
  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (!this.running || Date.now() > deadline) throw new Error(`the worker never wrote ${pattern}: ${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends `signal` to the whole process group and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | NodeJS.Signals> {
    if (this.running) process.kill(-this.child.pid!, signal);
    return this.exited;
  }
}

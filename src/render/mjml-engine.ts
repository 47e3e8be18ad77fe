// Where MJML runs. Its modules hold about 60 MB once loaded (a third of the worker's memory)
// and are needed for a few hundred milliseconds per campaign: a worker renders at the start of
// a campaign, then only personalises. So a worker process renders in a thread of its own that
// ends as soon as it is idle, and its memory goes with it. Everywhere else (the web process,
// which renders previews often; the CLI; the tests) MJML loads on first use and stays. Which
// engine a process uses is decided once, where it is composed, and passed to what renders.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type mjml2html from 'mjml';

type MjmlOptions = NonNullable<Parameters<typeof mjml2html>[1]>;
export type MjmlResult = Pick<Awaited<ReturnType<typeof mjml2html>>, 'html' | 'errors'>;

/** Turns MJML into HTML, in this thread or in another. */
export interface MjmlEngine {
  toHtml(mjml: string, options: MjmlOptions): Promise<MjmlResult>;
}

const require = createRequire(import.meta.url);

/** MJML loaded in this thread on first use (the web process, the CLI, the tests). */
export const inProcessMjml: MjmlEngine = {
  async toHtml(mjml, options) {
    const { html, errors } = await loadMjml()(mjml, options);
    return { html, errors };
  },
};

function loadMjml(): typeof mjml2html {
  const loaded = require('mjml');
  return loaded.default ?? loaded;
}

// The thread's code is plain CommonJS evaluated as a string, so it runs the same under tsx,
// vitest and compiled JavaScript, and loads nothing but MJML (no TypeScript loader).
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const loaded = require(workerData.mjmlPath);
const mjml2html = loaded.default ?? loaded;
parentPort.on('message', async ({ id, mjml, options }) => {
  try {
    const { html, errors } = await mjml2html(mjml, options);
    const reported = errors.map(({ line, message, tagName, formattedMessage }) =>
      ({ line, message, tagName, formattedMessage }));
    parentPort.postMessage({ id, html, errors: reported });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message || err) });
  }
});`;

interface Answer extends Partial<MjmlResult> {
  id: number;
  error?: string;
}

/** A thread that loads MJML when a render comes, and ends once no render is pending. */
export class PassingThread implements MjmlEngine {
  private thread: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (result: MjmlResult) => void; reject: (err: Error) => void }>();

  /** Whether a thread (and MJML's memory) is alive now. */
  get running(): boolean {
    return this.thread !== undefined;
  }

  toHtml(mjml: string, options: MjmlOptions): Promise<MjmlResult> {
    return new Promise((resolve, reject) => {
      this.thread ??= this.start();
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.thread.postMessage({ id, mjml, options });
    });
  }

  private start(): Worker {
    const thread = new Worker(THREAD_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { mjmlPath: require.resolve('mjml') },
    });
    thread.on('message', ({ id, error, html, errors }: Answer) => {
      const waiting = this.pending.get(id);
      if (!waiting) return;
      this.pending.delete(id);
      if (error !== undefined) waiting.reject(new Error(`MJML: ${error}`));
      else waiting.resolve({ html: html!, errors: errors! });
      if (this.pending.size === 0) this.end(thread);
    });
    thread.on('error', (err) => this.fail(thread, err));
    thread.on('exit', (code) => this.fail(thread, new Error(`The MJML thread stopped (exit code ${code})`)));
    return thread;
  }

  private end(thread: Worker): void {
    if (this.thread !== thread) return;
    this.thread = undefined;
    void thread.terminate();
  }

  /** The thread died: whatever it was rendering fails; the next render starts a new one. */
  private fail(thread: Worker, err: Error): void {
    if (this.thread !== thread) return;
    this.thread = undefined;
    for (const { reject } of this.pending.values()) reject(err);
    this.pending.clear();
  }
}

// A redis-server of a test's own, on a free loopback port, so a test can kill it, restart it or
// flush it without touching the shared Redis. With `appendOnly` it keeps an append-only file synced
// on every write (as a production Redis for BullMQ should); without, it restarts empty.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HAS_REDIS_SERVER = spawnSync('redis-server', ['--version']).status === 0;

export class OwnRedis {
  private process: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'pregon-redis-'));
  port = 0;

  constructor(private readonly options: { appendOnly: boolean }) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it, on the port of its first start when it had one. */
  async start(): Promise<void> {
    this.port ||= await freePort();
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', ''];
    args.push(
      ...(this.options.appendOnly ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    );
    this.process = await startRedisServer(args);
  }

  /** SIGKILL: no shutdown, no last save; only what the append-only file already holds survives. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Spawns redis-server with these arguments and waits until it accepts connections (killed if it never does). */
export async function startRedisServer(args: string[]): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in 10 s:\n${output}`)), 10_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return child;
}

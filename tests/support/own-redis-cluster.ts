// A Redis Cluster of a test's own: three masters (no replicas) on free loopback ports, made with
// `redis-cli --cluster create`, in a folder of its own that close() removes with the processes.
import { execFile, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startRedisServer } from './own-redis.js';

const run = promisify(execFile);

/** Why this machine cannot start a cluster (no redis-server or redis-cli); undefined when it can. */
export function clusterToolsMissing(): string | undefined {
  const missing = ['redis-server', 'redis-cli'].filter((tool) => spawnSync(tool, ['--version']).status !== 0);
  return missing.length
    ? `${missing.join(' and ')} not found: the Redis Cluster test starts its own cluster with them ` +
        '(Debian: apt-get install redis-server, which brings redis-tools; .ci/run installs it)'
    : undefined;
}

export class OwnRedisCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'pregon-redis-cluster-'));
  readonly ports: number[] = [];
  private readonly processes: ChildProcess[] = [];

  /** REDIS_URL for the cluster: every node, separated by commas. */
  get url(): string {
    return this.ports.map((port) => `redis://127.0.0.1:${port}`).join(',');
  }

  /** Starts the three nodes, joins them in a cluster and waits until each says its state is ok. */
  async start(): Promise<void> {
    try {
      for (let i = 0; i < 3; i++) {
        // Redis 7 takes the cluster bus's port apart; both come free from the system.
        const [port, busPort] = [await freePort(), await freePort()];
        this.ports.push(port);
        this.processes.push(await startNode(port, busPort, this.dir));
      }
      const nodes = this.ports.map((port) => `127.0.0.1:${port}`);
      await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], {
        timeout: 30_000,
      });
      for (const port of this.ports) await clusterStateOk(port);
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    await Promise.all(
      this.processes.splice(0).map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function startNode(port: number, busPort: number, dir: string): Promise<ChildProcess> {
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes'],
    ...['--cluster-port', String(busPort), '--cluster-config-file', join(dir, `nodes-${port}.conf`)],
    ...['--save', '', '--appendonly', 'no', '--dir', dir],
  ];
  return startRedisServer(args);
}

/** Waits (up to 30 s) until the node on `port` answers cluster_state:ok: every slot is served. */
async function clusterStateOk(port: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'cluster', 'info']);
    if (/^cluster_state:ok/m.test(stdout)) return;
    if (Date.now() > deadline)
      throw new Error(`the cluster node on ${port} never reached cluster_state:ok:\n${stdout}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

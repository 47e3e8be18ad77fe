// Starts the real server process the way `npm start` does, and the CLI the way the README says.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { verifyPassword } from '../../src/staff/passwords.js';
import { StaffStore } from '../../src/staff/staff-store.js';
import { REDIS_URL } from '../helpers/app.js';

const ROOT = new URL('../..', import.meta.url).pathname;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// Each `npm start` builds the staff web app first (about a second, much more on a loaded machine).
describe('npm start', { timeout: 120_000 }, () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pregon-start-'));
    env = {
      PATH: process.env.PATH!,
      HOME: process.env.HOME ?? dataDir,
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${join(dataDir, 'pregon.db')}`,
      REDIS_URL,
      SES_EMULATOR_PORT: String(await freePort()),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts unconfigured, answers /healthz, says where it listens and how to make the first admin', async () => {
    const child = spawn('npm', ['start'], { cwd: ROOT, env, detached: true });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    try {
      let health: Response | undefined;
      // npm start builds the staff web app first: allow it a minute on a loaded machine
      for (let i = 0; i < 300 && !health; i++) {
        health = await fetch(`http://127.0.0.1:${env.PORT}/healthz`).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 200));
      }
      expect(health?.status, output).toBe(200);
      expect(await health!.json()).toEqual({ status: 'ok', db: 'sqlite', redis: 'ok' });
      // The banner is printed once the server listens: /healthz can answer before it reaches the pipe.
      await expect.poll(() => output, { timeout: 30_000 }).toContain('npm run cli -- create-token');
      await expect.poll(() => output, { timeout: 30_000 }).toContain('Loaded the example bulletin');
      expect(output).toContain(`listening on http://localhost:${env.PORT}`);
      expect(output).toContain('npm run cli -- create-admin');
      expect(output).toContain(`read sent mail at http://localhost:${env.PORT}/admin/mail`);
      expect(output).toContain('Loaded the example bulletin "Launch, petition on refugees, 100 days" as a draft');
      expect(output).toMatch(
        /First run: open http:\/\/localhost:\d+\/admin\/setup and enter the code [A-Z0-9]{4}-[A-Z0-9]{4}/,
      );
      // the built staff web app is served
      const app = await fetch(`http://127.0.0.1:${env.PORT}/admin/setup`);
      expect(app.status).toBe(200);
      expect(await app.text()).toContain('<div id="root"></div>');
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('generated an APP_SECRET under DATA_DIR and keeps it private', () => {
    const ls = spawnSync('stat', ['-c', '%a', join(dataDir, 'app-secret')], { encoding: 'utf8' });
    expect(ls.stdout.trim()).toBe('600');
  });

  it('exits with a short plain message, not a stack trace, when Redis is unreachable', () => {
    const run = spawnSync('npm', ['start'], {
      cwd: ROOT,
      env: { ...env, REDIS_URL: 'redis://127.0.0.1:1' },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Cannot reach Redis at redis://127.0.0.1:1');
    expect(run.stderr).toContain('redis-server');
    expect(run.stderr).toContain('docker compose up -d redis');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('lists every bad variable in one message', () => {
    const run = spawnSync('npm', ['start'], {
      cwd: ROOT,
      env: { ...env, PORT: 'eighty', DATABASE_URL: 'mysql://x', NODE_ENV: 'production' },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Invalid configuration');
    expect(run.stderr).toContain('PORT: must be a port number');
    expect(run.stderr).toContain('DATABASE_URL: must start with sqlite: or postgres://');
    expect(run.stderr).toContain('APP_SECRET: is required when NODE_ENV=production');
  });

  it('creates an admin and a token from the CLI; the token alone is the last line and it opens the API', async () => {
    const cli = (...args: string[]) =>
      spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
        timeout: 90_000,
      });
    const admin = cli('create-admin', '--email', 'Admin@Example.org', '--password', 'a long enough passphrase');
    expect(admin.status, admin.stderr).toBe(0);
    expect(admin.stdout).toContain('admin@example.org');
    expect(
      cli('create-admin', '--email', 'admin@example.org', '--password', 'a long enough passphrase').stderr,
    ).toContain('already exists');
    expect(cli('create-admin', '--email', 'nope', '--password', 'short').stderr).toMatch(/--email: .*\n--password: /);
    const unknown = cli('create-token', '--colour', 'red');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Usage:');
    expect(unknown.stderr).not.toMatch(/^\s+at /m);

    const made = cli('create-token', '--name', 'script');
    expect(made.status, made.stderr).toBe(0);
    const token = made.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^pgn_[0-9a-f]{16}_[\w-]{43}$/);

    const child = spawn('npm', ['start'], { cwd: ROOT, env, detached: true });
    try {
      let res: Response | undefined;
      for (let i = 0; i < 300 && !res; i++) {
        res = await fetch(`http://127.0.0.1:${env.PORT}/api/topics`, {
          headers: { authorization: `Bearer ${token}` },
        }).catch(() => undefined);
        if (!res) await new Promise((r) => setTimeout(r, 200));
      }
      expect(res?.status).toBe(200);
      // the example bulletin, loaded on the empty database, is there once: a restart adds no second copy
      const list = await (
        await fetch(`http://127.0.0.1:${env.PORT}/api/bulletins`, { headers: { authorization: `Bearer ${token}` } })
      ).json();
      expect(list.data.map((b: { title: string }) => b.title)).toEqual(['Launch, petition on refugees, 100 days']);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('reads the admin’s password from standard input when --password is left out, and refuses a weak one', async () => {
    const cli = (input: string, ...args: string[]) =>
      spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], {
        cwd: ROOT,
        env,
        input,
        encoding: 'utf8',
        timeout: 90_000,
      });
    // the first line only, as `echo … |` or a secrets file would give it
    const made = cli('piped passphrase words\r\nsecond line\n', 'create-admin', '--email', 'piped@example.org');
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain('Created admin piped@example.org');
    for (const [input, message] of [
      [`${' '.repeat(12)}\n`, 'password: must not be only spaces'],
      ['', 'password: must be at least 12 characters'],
    ]) {
      const refused = cli(input!, 'create-admin', '--email', 'weak@example.org');
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(message);
    }
    expect(cli('', 'create-admin', '--email', 'weak@example.org', '--password', 'a'.repeat(12)).stderr).toContain(
      '--password: must use at least 5 different characters',
    );

    const database = openDatabase(parseDatabaseUrl(env.DATABASE_URL!));
    try {
      const staff = new StaffStore(database.db);
      const piped = await staff.findForSignIn('piped@example.org');
      expect(await verifyPassword('piped passphrase words', piped!.passwordHash)).toBe(true);
      expect(await staff.findForSignIn('weak@example.org')).toBeUndefined();
    } finally {
      await database.close();
    }
  });
});

import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDatabaseUrl } from '../../src/config.js';

const SECRET = 'x'.repeat(32);

describe('loadConfig', () => {
  it('runs with no configuration on the documented defaults', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pregon-config-'));
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      database: { kind: 'sqlite', path: resolve('data/pregon.db') },
      redisUrl: 'redis://127.0.0.1:6379',
      ses: { mode: 'emulator', port: 8005 },
      sesRegion: 'us-east-1',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('generates APP_SECRET once, keeps it under DATA_DIR readable only by its owner, and reuses it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pregon-config-'));
    const first = loadConfig({ DATA_DIR: dataDir }).appSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dataDir, 'app-secret'), 'utf8').trim()).toBe(first);
    expect(statSync(join(dataDir, 'app-secret')).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATA_DIR: dataDir }).appSecret).toBe(first);
  });

  it('reads SES_ENDPOINT as the emulator, another endpoint, or real SES', () => {
    expect(loadConfig({ APP_SECRET: SECRET, SES_ENDPOINT: 'http://127.0.0.1:9001' }).ses).toEqual({
      mode: 'endpoint',
      url: 'http://127.0.0.1:9001',
    });
    expect(loadConfig({ APP_SECRET: SECRET, SES_ENDPOINT: 'aws' }).ses).toEqual({ mode: 'aws' });
  });

  it('derives PUBLIC_URL from PORT unless given, without a trailing slash', () => {
    expect(loadConfig({ APP_SECRET: SECRET, PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ APP_SECRET: SECRET, PUBLIC_URL: 'https://news.example.org/' }).publicUrl).toBe(
      'https://news.example.org',
    );
  });

  it('reports every bad variable in one error', () => {
    const bad = () =>
      loadConfig({
        NODE_ENV: 'production',
        PORT: '70000',
        DATABASE_URL: 'mysql://db',
        REDIS_URL: 'localhost:6379',
        SES_ENDPOINT: 'somewhere',
        PUBLIC_URL: 'ftp://x',
      });
    expect(bad).toThrow(ConfigError);
    const message = (() => {
      try {
        bad();
      } catch (err) {
        return (err as Error).message;
      }
    })()!;
    for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'SES_ENDPOINT', 'PUBLIC_URL', 'APP_SECRET']) {
      expect(message.match(new RegExp(`^  ${name}: `, 'gm')), name).toHaveLength(1);
    }
  });

  it('takes MAIL_FROM as an address, or a name (quoted or not) and an address, and refuses anything else', () => {
    for (const from of [
      'bulletin@example.org',
      'Our Network <bulletin@example.org>',
      '"Red, \\"Sin Fronteras\\"" <b@example.org>',
      'Boletín de la Red <b@example.org>',
    ]) {
      expect(loadConfig({ APP_SECRET: SECRET, MAIL_FROM: from }).mailFrom).toBe(from);
    }
    for (const from of [
      'Our Network',
      'b@example.org (Our Network)',
      'Red <not an address>',
      '<a@example.org> <b@example.org>',
      'Red "Sin <b@example.org>',
    ]) {
      expect(() => loadConfig({ APP_SECRET: SECRET, MAIL_FROM: from }), from).toThrow(
        /^ {2}MAIL_FROM: must be an address/m,
      );
    }
  });

  it('refuses to start in production unless PUBLIC_URL is https, naming it among the other bad variables', () => {
    const production = { NODE_ENV: 'production', APP_SECRET: SECRET };
    expect(loadConfig({ ...production, PUBLIC_URL: 'https://news.example.org' }).publicUrl).toBe(
      'https://news.example.org',
    );
    for (const publicUrl of ['http://news.example.org', undefined]) {
      const env = { ...production, PUBLIC_URL: publicUrl, PORT: 'x' };
      expect(() => loadConfig(env), String(publicUrl)).toThrow(ConfigError);
      expect(() => loadConfig(env), String(publicUrl)).toThrow(
        /^ {2}PORT: .*\n {2}PUBLIC_URL: must be set to an https URL when NODE_ENV=production$/m,
      );
    }
    // outside production, http is fine (a development pre-send check warns about it)
    expect(loadConfig({ APP_SECRET: SECRET, PUBLIC_URL: 'http://news.example.org' }).publicUrl).toBe(
      'http://news.example.org',
    );
  });

  it('reads TRUST_PROXY as a number of proxies or a list of their addresses, loopback by default', () => {
    expect(loadConfig({ APP_SECRET: SECRET }).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ APP_SECRET: SECRET, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ APP_SECRET: SECRET, TRUST_PROXY: '0' }).trustProxy).toBe(0);
    expect(
      loadConfig({ APP_SECRET: SECRET, TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.7, fd00::/8, uniquelocal' })
        .trustProxy,
    ).toEqual(['loopback', '10.0.0.0/8', '192.168.1.7', 'fd00::/8', 'uniquelocal']);
    for (const wrong of ['10.0.0.0/33', 'proxy.example.org', 'loopback,', '10.0.0/8', 'fd00::/129', '1.2.3.4/8/8']) {
      expect(() => loadConfig({ APP_SECRET: SECRET, TRUST_PROXY: wrong }), wrong).toThrow(
        /^ {2}TRUST_PROXY: ".*" is none of loopback, linklocal, uniquelocal, an IP address or a CIDR range/m,
      );
    }
    // Every client could then pick its own address, and with it its own rate-limit bucket.
    expect(() => loadConfig({ APP_SECRET: SECRET, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: must not be true/);
  });

  it('caps confirmation mails an hour, across the installation and per domain, at 200 and 50 unless told', () => {
    expect(loadConfig({ APP_SECRET: SECRET }).confirmationLimits).toEqual({ perHour: 200, perDomainPerHour: 50 });
    const env = {
      APP_SECRET: SECRET,
      SUBSCRIBE_CONFIRMATIONS_PER_HOUR: '1000',
      SUBSCRIBE_CONFIRMATIONS_PER_DOMAIN: '80',
    };
    expect(loadConfig(env).confirmationLimits).toEqual({ perHour: 1000, perDomainPerHour: 80 });
    expect(() => loadConfig({ ...env, SUBSCRIBE_CONFIRMATIONS_PER_HOUR: '0' })).toThrow(
      /^ {2}SUBSCRIBE_CONFIRMATIONS_PER_HOUR: /m,
    );
  });

  it('makes every Redis connection a cluster with REDIS_CLUSTER=true, its prefix hash-tagged', () => {
    expect(loadConfig({ APP_SECRET: SECRET })).toMatchObject({ redisCluster: false, queuePrefix: 'pregon' });
    const nodes = 'redis://10.0.0.1:6379, rediss://:secret@10.0.0.2:6380';
    expect(loadConfig({ APP_SECRET: SECRET, REDIS_CLUSTER: 'true', REDIS_URL: nodes })).toMatchObject({
      redisUrl: nodes,
      redisCluster: true,
      queuePrefix: '{pregon}',
    });
    const cluster = { APP_SECRET: SECRET, REDIS_CLUSTER: 'true' };
    for (const prefix of ['{pregon}', 'red-{pregon}', '{x}:pregon'])
      expect(loadConfig({ ...cluster, QUEUE_PREFIX: prefix }).queuePrefix, prefix).toBe(prefix);
    // Without a hash tag a queue's keys fall in many slots, and BullMQ's scripts fail with CROSSSLOT.
    expect(() => loadConfig({ ...cluster, QUEUE_PREFIX: 'pregon' })).toThrow(
      /^ {2}QUEUE_PREFIX: must hold a hash tag such as \{pregon\} when REDIS_CLUSTER=true/m,
    );
    for (const prefix of ['{}', '{a}{b}', 'a}', 'a b', ''])
      expect(() => loadConfig({ ...cluster, QUEUE_PREFIX: prefix }), prefix).toThrow(/^ {2}QUEUE_PREFIX: /m);
    // A tag is allowed on one Redis too: the same prefix serves before and after a move to a cluster.
    expect(loadConfig({ APP_SECRET: SECRET, QUEUE_PREFIX: '{pregon}' }).queuePrefix).toBe('{pregon}');
    expect(() => loadConfig({ APP_SECRET: SECRET, REDIS_URL: nodes })).toThrow(
      /^ {2}REDIS_URL: a list of nodes needs REDIS_CLUSTER=true$/m,
    );
    expect(() => loadConfig({ APP_SECRET: SECRET, REDIS_CLUSTER: 'yes' })).toThrow(
      /^ {2}REDIS_CLUSTER: must be true or false$/m,
    );
  });

  it('keeps audit entries 400 days unless told, and refuses a retention that is no whole number of days', () => {
    expect(loadConfig({ APP_SECRET: SECRET }).auditRetentionDays).toBe(400);
    expect(loadConfig({ APP_SECRET: SECRET, AUDIT_RETENTION_DAYS: '730' }).auditRetentionDays).toBe(730);
    for (const bad of ['0', '1.5', 'forever']) {
      expect(() => loadConfig({ APP_SECRET: SECRET, AUDIT_RETENTION_DAYS: bad })).toThrow(
        /^ {2}AUDIT_RETENTION_DAYS: /m,
      );
    }
  });

  it('keeps images under DATA_DIR/media at PUBLIC_URL/media unless MEDIA_STORE names an S3 bucket', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pregon-config-'));
    expect(
      loadConfig({ APP_SECRET: SECRET, DATA_DIR: dataDir, PUBLIC_URL: 'https://news.example.org/' }),
    ).toMatchObject({
      mediaStore: { kind: 'disk', dir: join(dataDir, 'media') },
      mediaPublicUrl: 'https://news.example.org/media',
    });
    const s3 = (env: Record<string, string>) => loadConfig({ APP_SECRET: SECRET, ...env }).mediaStore;
    expect(s3({ MEDIA_STORE: 's3://pregon-media' })).toEqual({
      kind: 's3',
      bucket: 'pregon-media',
      prefix: '',
      endpoint: undefined,
    });
    expect(s3({ MEDIA_STORE: 's3://pregon-media/red/images/', AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' })).toEqual({
      kind: 's3',
      bucket: 'pregon-media',
      prefix: 'red/images',
      endpoint: 'http://127.0.0.1:9000',
    });
    // The S3-only endpoint wins over the one for every AWS service, as the SDK has it.
    expect(
      s3({ MEDIA_STORE: 's3://b12', AWS_ENDPOINT_URL: 'http://a.example', AWS_ENDPOINT_URL_S3: 'https://s3.example' }),
    ).toMatchObject({ endpoint: 'https://s3.example' });
    for (const wrong of ['./media', '/var/media', 'S3://Bucket', 'gs://pregon-media', 's3://', 's3://x', 'minio://b']) {
      expect(() => s3({ MEDIA_STORE: wrong }), wrong).toThrow(/^ {2}MEDIA_STORE: must be s3:\/\/bucket or /m);
    }
    expect(() => s3({ MEDIA_STORE: 's3://b12', AWS_ENDPOINT_URL_S3: 'localhost:9000' })).toThrow(
      /^ {2}AWS_ENDPOINT_URL_S3: must be an http\(s\) URL/m,
    );
  });

  it('addresses images under MEDIA_PUBLIC_URL when a CDN stands before the store, https in production', () => {
    const url = (env: Record<string, string>) => loadConfig({ APP_SECRET: SECRET, ...env }).mediaPublicUrl;
    expect(url({ MEDIA_PUBLIC_URL: 'https://cdn.example.org/pregon' })).toBe('https://cdn.example.org/pregon');
    expect(url({ MEDIA_PUBLIC_URL: 'https://cdn.example.org/' })).toBe('https://cdn.example.org');
    expect(() => url({ MEDIA_PUBLIC_URL: 'cdn.example.org' })).toThrow(/^ {2}MEDIA_PUBLIC_URL: must be an http/m);
    const production = { NODE_ENV: 'production', PUBLIC_URL: 'https://news.example.org' };
    expect(url({ ...production, MEDIA_PUBLIC_URL: 'https://cdn.example.org' })).toBe('https://cdn.example.org');
    expect(() => url({ ...production, MEDIA_PUBLIC_URL: 'http://cdn.example.org' })).toThrow(
      /^ {2}MEDIA_PUBLIC_URL: must be an https URL when NODE_ENV=production$/m,
    );
  });

  it('never puts the secret in an error message', () => {
    expect(() => loadConfig({ APP_SECRET: 'too-short-secret', PORT: 'x' })).toThrow(/APP_SECRET: must be at least 32/);
    expect(() => loadConfig({ APP_SECRET: 'too-short-secret' })).not.toThrow(/too-short-secret/);
  });
});

describe('parseDatabaseUrl', () => {
  it('selects SQLite for sqlite: URLs and PostgreSQL for postgres:// URLs', () => {
    expect(parseDatabaseUrl('sqlite:./data/x.db')).toEqual({ kind: 'sqlite', path: resolve('data/x.db') });
    expect(parseDatabaseUrl('sqlite:///var/lib/pregon.db')).toEqual({ kind: 'sqlite', path: '/var/lib/pregon.db' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', path: ':memory:' });
    expect(parseDatabaseUrl('postgres://u@h/db')).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' });
  });
});

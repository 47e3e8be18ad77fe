// Configuration: the environment parsed once with zod into a frozen Config. The only reader of
// process.env is the entry point that calls loadConfig(process.env).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { parseMailbox } from './sending/from-address.js';

export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** Where mail goes: the in-process emulator, another SES-compatible endpoint, or real SES. */
export type SesConfig = { mode: 'emulator'; port: number } | { mode: 'endpoint'; url: string } | { mode: 'aws' };

/**
 * Where uploaded images are kept: a folder (DATA_DIR/media) or a bucket of an S3-compatible store,
 * reached at `endpoint` (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL) when it is not Amazon S3.
 */
export type MediaStoreConfig =
  | { kind: 'disk'; dir: string }
  | { kind: 's3'; bucket: string; prefix: string; endpoint: string | undefined };

/**
 * Express's `trust proxy`: how many proxies stand between the clients and Pregón, or the addresses
 * (names such as loopback, IPs, CIDR ranges) of those whose X-Forwarded-For to believe.
 */
export type TrustProxy = number | readonly string[];

export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly port: number;
  /** Base of every link Pregón puts in mail and pages. */
  readonly publicUrl: string;
  /** Which proxies tell the client's address (the rate limits count per client); loopback by default. */
  readonly trustProxy: TrustProxy;
  /** Folder for the SQLite file and the generated APP_SECRET. */
  readonly dataDir: string;
  readonly mediaStore: MediaStoreConfig;
  /** Base of the addresses mail shows images at: PUBLIC_URL/media, or a CDN before the store. */
  readonly mediaPublicUrl: string;
  readonly database: DatabaseConfig;
  /** One Redis server's URL; with redisCluster, one or more of a cluster's nodes, separated by commas. */
  readonly redisUrl: string;
  /** Every connection is an ioredis Cluster (REDIS_CLUSTER=true); queuePrefix then holds a hash tag. */
  readonly redisCluster: boolean;
  /** Signs tokens and keys the suppression hashes; never logged. */
  readonly appSecret: string;
  readonly mailFrom: string;
  readonly ses: SesConfig;
  readonly sesRegion: string;
  /** Messages per second; unset: GetAccount's MaxSendRate on real SES, EMULATOR_SEND_RATE otherwise. */
  readonly sesMaxSendRate: number | undefined;
  /** SES configuration set for event publishing (bounces, complaints, deliveries). */
  readonly sesConfigurationSet: string | undefined;
  /** `simple`: one SendEmail a mail; `bulk`: SendBulkEmail, 50 readers a call, from a stored template. */
  readonly sesSendMode: 'simple' | 'bulk';
  /** A campaign pauses after this many send errors in a row. */
  readonly sendErrorLimit: number;
  /** SNS topics whose notifications /webhooks/ses accepts; any other is refused. */
  readonly snsTopicArns: readonly string[];
  /** Soft bounces in a row after which an address is suppressed. */
  readonly transientBounceLimit: number;
  /** Confirmation mails the subscribe form may send an hour, across the installation and to one domain. */
  readonly confirmationLimits: { readonly perHour: number; readonly perDomainPerHour: number };
  /**
   * Prefix of every key of Pregón's in Redis (BullMQ's and its own), so several installations (or
   * tests) can share one Redis. On a cluster it holds a hash tag (`{pregon}`): every key lands in one slot.
   */
  readonly queuePrefix: string;
  /**
   * How long a request (send, resume, retry, cancel) waits for Redis to queue (or take off) a
   * campaign's start before answering without it; the worker's sweep queues it then.
   */
  readonly queueWaitMs: number;
  /** Days the audit trail keeps an entry; the worker forgets older ones. */
  readonly auditRetentionDays: number;
  readonly logLevel: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a port number')
  .min(1, 'must be a port number')
  .max(65535, 'must be a port number');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((value, ctx) => {
      const problem = trustProxyProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
      return /^\d+$/.test(value.trim()) ? Number(value) : value.split(',').map((part) => part.trim());
    }),
  DATA_DIR: z.string().min(1).default('./data'),
  MEDIA_STORE: z
    .string()
    .regex(
      /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^/]+)*\/?$/,
      'must be s3://bucket or s3://bucket/prefix (unset keeps images in DATA_DIR/media)',
    )
    .optional(),
  MEDIA_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  AWS_ENDPOINT_URL_S3: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  AWS_ENDPOINT_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://')
    .default('sqlite:./data/pregon.db'),
  REDIS_URL: z
    .string()
    .regex(
      /^rediss?:\/\/[^,\s]+(\s*,\s*rediss?:\/\/[^,\s]+)*$/,
      'must start with redis:// or rediss:// (with REDIS_CLUSTER=true: such URLs separated by commas)',
    )
    .default('redis://127.0.0.1:6379'),
  REDIS_CLUSTER: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  APP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  MAIL_FROM: z
    .string()
    .default('Pregón <bulletin@pregon.localhost>')
    .refine(
      (v) => z.email().safeParse(parseMailbox(v)?.address).success,
      'must be an address, or a name and an address such as Our Network <bulletin@example.org>',
    ),
  SES_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1')
    .default('us-east-1'),
  SES_ENDPOINT: z
    .union([z.literal('aws'), z.url({ protocol: /^https?$/, error: 'must be "aws" or an http(s) URL' })])
    .optional(),
  SES_EMULATOR_PORT: port.default(8005),
  SES_MAX_SEND_RATE: z.coerce
    .number({ error: 'must be a number of messages per second' })
    .positive('must be more than 0')
    .max(10_000)
    .optional(),
  SES_CONFIGURATION_SET: z
    .string()
    .regex(/^[\w-]{1,64}$/, 'must be an SES configuration set name')
    .optional(),
  SES_SEND_MODE: z.enum(['simple', 'bulk'], { error: 'must be simple or bulk' }).default('simple'),
  SEND_ERROR_LIMIT: z.coerce.number({ error: 'must be a whole number' }).int().min(1).default(20),
  SNS_TOPIC_ARNS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((arn) => arn.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.string().regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/, 'must be SNS topic ARNs separated by commas'),
      ),
    ),
  TRANSIENT_BOUNCE_LIMIT: z.coerce.number({ error: 'must be a whole number' }).int().min(1).default(3),
  SUBSCRIBE_CONFIRMATIONS_PER_HOUR: z.coerce.number({ error: 'must be a whole number' }).int().min(1).default(200),
  SUBSCRIBE_CONFIRMATIONS_PER_DOMAIN: z.coerce.number({ error: 'must be a whole number' }).int().min(1).default(50),
  QUEUE_PREFIX: z
    .string()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters')
    .regex(/^[\w:-]*(\{[\w:-]+\}[\w:-]*)?$/, 'must be letters, digits, _, - or :, with at most one {hash tag}')
    .optional(),
  QUEUE_WAIT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1, 'must be more than 0')
    .max(600_000, 'must be at most 600000 (10 minutes)')
    .default(10_000),
  AUDIT_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a whole number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be 1 or more')
    .default(400),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/**
 * Parses the environment. Every bad variable is reported in one ConfigError. When APP_SECRET is
 * unset outside production, a secret is generated once and kept in DATA_DIR/app-secret.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  // Checked apart from the schema so they are reported together with the other variables' problems.
  if (env.NODE_ENV === 'production' && !env.APP_SECRET)
    problems.push('APP_SECRET: is required when NODE_ENV=production');
  // Links in mail carry signed tokens (unsubscribe, preferences) and the session cookie is Secure
  // only over https: in production they must never travel in clear. A URL the schema already
  // refused is not named twice.
  const refused = new Set(parsed.success ? [] : parsed.error.issues.map((issue) => issue.path[0]));
  if (env.NODE_ENV === 'production' && !refused.has('PUBLIC_URL') && !/^https:\/\//i.test(env.PUBLIC_URL ?? '')) {
    problems.push('PUBLIC_URL: must be set to an https URL when NODE_ENV=production');
  }
  // Mail clients on https pages hide, or warn about, images fetched in clear.
  const mediaUrl = env.MEDIA_PUBLIC_URL;
  if (env.NODE_ENV === 'production' && mediaUrl && !refused.has('MEDIA_PUBLIC_URL') && !/^https:\/\//i.test(mediaUrl)) {
    problems.push('MEDIA_PUBLIC_URL: must be an https URL when NODE_ENV=production');
  }
  if (parsed.success) problems.push(...redisClusterProblems(parsed.data));
  if (!parsed.success || problems.length) {
    throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    publicUrl,
    trustProxy: typeof e.TRUST_PROXY === 'number' ? e.TRUST_PROXY : Object.freeze(e.TRUST_PROXY),
    dataDir,
    mediaStore: Object.freeze(mediaStore(e.MEDIA_STORE, dataDir, e.AWS_ENDPOINT_URL_S3 ?? e.AWS_ENDPOINT_URL)),
    mediaPublicUrl: e.MEDIA_PUBLIC_URL?.replace(/\/+$/, '') ?? `${publicUrl}/media`,
    database: Object.freeze(parseDatabaseUrl(e.DATABASE_URL)),
    redisUrl: e.REDIS_URL,
    redisCluster: e.REDIS_CLUSTER === 'true',
    appSecret: e.APP_SECRET ?? readOrCreateSecret(dataDir),
    mailFrom: e.MAIL_FROM,
    ses: Object.freeze(sesConfig(e.SES_ENDPOINT, e.SES_EMULATOR_PORT)),
    sesRegion: e.SES_REGION,
    sesMaxSendRate: e.SES_MAX_SEND_RATE,
    sesConfigurationSet: e.SES_CONFIGURATION_SET,
    sesSendMode: e.SES_SEND_MODE,
    sendErrorLimit: e.SEND_ERROR_LIMIT,
    snsTopicArns: Object.freeze(e.SNS_TOPIC_ARNS),
    transientBounceLimit: e.TRANSIENT_BOUNCE_LIMIT,
    confirmationLimits: Object.freeze({
      perHour: e.SUBSCRIBE_CONFIRMATIONS_PER_HOUR,
      perDomainPerHour: e.SUBSCRIBE_CONFIRMATIONS_PER_DOMAIN,
    }),
    queuePrefix: e.QUEUE_PREFIX ?? (e.REDIS_CLUSTER === 'true' ? '{pregon}' : 'pregon'),
    queueWaitMs: e.QUEUE_WAIT_MS,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    logLevel: e.LOG_LEVEL,
  });
}

/**
 * A list of nodes needs a cluster; a cluster needs every key of a queue in one slot (a multi-key
 * command, a MULTI or a script over several slots fails with CROSSSLOT), so its prefix holds a hash tag.
 */
function redisClusterProblems(e: z.infer<typeof envSchema>): string[] {
  if (e.REDIS_CLUSTER === 'false') {
    return e.REDIS_URL.includes(',') ? ['REDIS_URL: a list of nodes needs REDIS_CLUSTER=true'] : [];
  }
  if (e.QUEUE_PREFIX === undefined || e.QUEUE_PREFIX.includes('{')) return [];
  return [
    'QUEUE_PREFIX: must hold a hash tag such as {pregon} when REDIS_CLUSTER=true, ' +
      'so that all of its keys land in one slot of the cluster',
  ];
}

export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return { kind: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
  }
  return { kind: 'postgres', url };
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Why TRUST_PROXY is not a number of proxies or a list of their addresses; undefined when it is. */
function trustProxyProblem(value: string): string | undefined {
  if (value.trim() === 'true') {
    return (
      'must not be true, which lets any client choose its own address: ' +
      'give the number of proxies or their addresses'
    );
  }
  if (/^\d+$/.test(value.trim())) return undefined;
  const wrong = value.split(',').find((part) => !PROXY_NAMES.has(part.trim()) && !isAddressRange(part.trim()));
  return wrong === undefined
    ? undefined
    : `"${wrong.trim()}" is none of loopback, linklocal, uniquelocal, an IP address or a CIDR range (10.0.0.0/8); ` +
        'give a number of proxies, or those separated by commas';
}

function isAddressRange(range: string): boolean {
  const [address = '', prefix, extra] = range.split('/');
  const version = isIP(address);
  if (!version || extra !== undefined) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

function sesConfig(endpoint: string | undefined, emulatorPort: number): SesConfig {
  if (endpoint === undefined) return { mode: 'emulator', port: emulatorPort };
  if (endpoint === 'aws') return { mode: 'aws' };
  return { mode: 'endpoint', url: endpoint };
}

function mediaStore(store: string | undefined, dataDir: string, endpoint: string | undefined): MediaStoreConfig {
  if (store === undefined) return { kind: 'disk', dir: join(dataDir, 'media') };
  const [bucket = '', ...prefix] = store.slice('s3://'.length).split('/');
  return { kind: 's3', bucket, prefix: prefix.filter(Boolean).join('/'), endpoint };
}

function readOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'app-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

// The data a bench measures against: a migrated scratch database with the organisation's
// settings, the weekly-bulletin topic, N active subscribers (every third in Spanish) and the
// example bulletin.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BulletinDocument } from '../../src/bulletins/document.js';
import { EXAMPLE_FILE } from '../../src/bulletins/example.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createMediaFiles } from '../../src/media/media-files.js';
import { createStores, type Sending, type Stores } from '../../src/stores.js';
import { insertSubscribers, settleSubscribers } from './bulk-subscribers.js';
import { scratchDatabase, type ScratchDatabase } from './scratch-database.js';
import type { Auth } from '../../src/http/api-routes.js';

export const BENCH_TOPIC = 'weekly-bulletin';

export interface BenchData {
  config: Config;
  database: Database;
  stores: Stores;
  scratch: ScratchDatabase;
  /** The example bulletin's id. */
  bulletinId: number;
  /** Closes the database and drops it with its folder. */
  drop(): Promise<void>;
}

/** The environment of a bench's own installation: its database, its Redis prefix, the stub SES. */
export function benchEnv(scratch: ScratchDatabase, sesUrl = 'http://127.0.0.1:9'): Record<string, string> {
  return {
    APP_SECRET: 'bench-secret-bench-secret-bench-secret',
    DATA_DIR: scratch.dir,
    DATABASE_URL: scratch.url,
    QUEUE_PREFIX: `bench-${randomUUID()}`,
    SES_ENDPOINT: sesUrl,
    LOG_LEVEL: 'warn',
  };
}

/** What node and tsx need from the bench's environment, for a child process whose own comes from benchEnv. */
export function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR']) if (process.env[name]) env[name] = process.env[name]!;
  return env;
}

export async function benchData(
  kind: 'sqlite' | 'postgres',
  subscribers: number,
  env: Record<string, string> = {},
): Promise<BenchData> {
  const scratch = await scratchDatabase(kind);
  const config = loadConfig({ ...benchEnv(scratch), ...env });
  const database = openDatabase(config.database);
  await migrateToLatest(database);
  // Where compose() keeps the media library's files; the data made here holds no images.
  const media = createMediaFiles(config);
  const stores = createStores(database, { ...config, media });
  await stores.settings.update({
    organisationName: 'NNIRR',
    postalAddress: '310 8th Street, Oakland, CA',
    senderEmail: 'bulletin@nnirr.org',
  });
  await stores.topics.create({
    key: BENCH_TOPIC,
    name: { en: 'Weekly bulletin', es: 'Boletín semanal' },
    public: true,
  });
  await addSubscribers(database, stores, subscribers);
  const bulletin = await stores.bulletins.create(
    BulletinDocument.parse(JSON.parse(readFileSync(EXAMPLE_FILE, 'utf8'))),
  );
  return {
    config,
    database,
    stores,
    scratch,
    bulletinId: bulletin.id,
    async drop() {
      await database.close();
      await scratch.drop();
    },
  };
}

/** N active subscribers of the topic, written ten thousand to a statement. */
async function addSubscribers(database: Database, stores: Stores, count: number): Promise<void> {
  const topicId = (await stores.subscribers.topicIds()).get(BENCH_TOPIC)!;
  await insertSubscribers(
    database,
    (email) => stores.suppressions.hash(email),
    count,
    (i) => ({
      email: `person${i}@example.org`,
      name: `Person ${i}`,
      language: i % 3 === 0 ? 'es' : 'en',
      topicIds: [topicId],
      tags: [],
      attributes: { city: i % 2 ? 'Oakland' : 'El Paso' },
    }),
  );
  await settleSubscribers(database);
}

/**
 * N active English readers of the topic at `domain` (reader0@domain, …), for a campaign of their
 * own beside the one to everyone at example.org.
 */
export async function addReaders({ stores }: BenchData, domain: string, count: number): Promise<void> {
  const topicId = (await stores.subscribers.topicIds()).get(BENCH_TOPIC)!;
  for (let start = 0; start < count; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      rows.push({
        line: i,
        email: `reader${i}@${domain}`,
        name: `Reader ${i}`,
        language: 'en',
        topicIds: [topicId],
        tags: [],
        attributes: {},
      });
    }
    await stores.subscribers.mergeBatch(rows, 'active');
  }
}

/** Who sends the bench's campaigns: an admin token, whose sends need no approval (the policy is off). */
export const BENCH_SENDER: Auth = { kind: 'token', tokenId: 0, name: 'bench', role: 'admin' };

/** Empties the queues a measure's sending parts filled (the bench's own prefix) and closes them. */
export async function closeSending(sending: Sending): Promise<void> {
  await sending.queues.campaigns.obliterate({ force: true });
  await sending.queues.deliveries.obliterate({ force: true });
  await sending.confirmations.queue.obliterate({ force: true });
  await sending.close();
}

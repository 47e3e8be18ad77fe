// A real app on a real database and Redis, listening on a loopback port, with an admin and an
// editor token; requests go through fetch as a client's would.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { createApp } from '../../src/app.js';
import type { SuppressionList } from '../../src/audience/suppressions.js';
import type { DatabaseKind } from '../../src/db/database.js';
import { commandClient } from '../../src/redis.js';
import { createStores, type Stores } from '../../src/stores.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';
export const TEST_PUBLIC_URL = 'https://news.example.org';

export interface TestApp {
  baseUrl: string;
  db: TestDatabase;
  adminToken: string;
  editorToken: string;
  suppressions: SuppressionList;
  stores: Stores;
  request(method: string, path: string, options?: { token?: string | null; json?: unknown; body?: string; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestApp(kind: DatabaseKind, options: { redisUrl?: string } = {}): Promise<TestApp> {
  const db = await createTestDatabase(kind);
  const redis = commandClient(options.redisUrl ?? REDIS_URL);
  const stores = createStores(db.database, { appSecret: TEST_SECRET, publicUrl: TEST_PUBLIC_URL });
  const { staff, suppressions } = stores;
  const app = createApp({
    logger: pino({ level: 'silent' }),
    health: { dbKind: kind, pingDb: () => db.database.ping(), pingRedis: async () => void (await redis.ping()) },
    stores,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const adminToken = (await staff.createToken({ name: 'admin', role: 'admin' })).token;
  const editorToken = (await staff.createToken({ name: 'editor', role: 'editor' })).token;

  return {
    baseUrl,
    db,
    adminToken,
    editorToken,
    suppressions,
    stores,
    request(method, path, { token = adminToken, json, body, headers = {} } = {}) {
      return fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: json !== undefined ? JSON.stringify(json) : body,
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      redis.disconnect();
      await db.drop();
    },
  };
}

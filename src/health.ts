// GET /healthz: the database and Redis each answer, or the failing part is named.
import type { RequestHandler } from 'express';
import type { DatabaseKind } from './db/database.js';

export interface HealthChecks {
  dbKind: DatabaseKind;
  pingDb(): Promise<void>;
  pingRedis(): Promise<void>;
}

const TIMEOUT_MS = 2000;

export function healthHandler(checks: HealthChecks): RequestHandler {
  return async (_req, res) => {
    const [db, redis] = await Promise.all([answers(checks.pingDb()), answers(checks.pingRedis())]);
    const failing = [...(db ? [] : ['db']), ...(redis ? [] : ['redis'])];
    res.status(failing.length ? 503 : 200).json({
      status: failing.length ? 'unavailable' : 'ok',
      db: db ? checks.dbKind : 'unreachable',
      redis: redis ? 'ok' : 'unreachable',
      ...(failing.length ? { failing } : {}),
    });
  };
}

async function answers(ping: Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), TIMEOUT_MS);
  });
  try {
    await Promise.race([ping, timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

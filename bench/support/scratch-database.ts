// A database of the bench's own, dropped afterwards: a SQLite file in a temporary folder, or a
// fresh schema in BENCH_POSTGRES_URL (default postgres://root@127.0.0.1:5432/test).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const BENCH_POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';

export interface ScratchDatabase {
  /** A DATABASE_URL for it. */
  url: string;
  /** A folder for DATA_DIR and other files, removed by drop(). */
  dir: string;
  drop(): Promise<void>;
}

export async function scratchDatabase(kind: 'sqlite' | 'postgres'): Promise<ScratchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'pregon-bench-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  if (kind === 'sqlite') return { url: `sqlite:${join(dir, 'bench.db')}`, dir, drop: async () => removeDir() };
  const schema = `bench_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await admin(`create schema ${schema}`);
  const url = new URL(BENCH_POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    dir,
    async drop() {
      await admin(`drop schema ${schema} cascade`);
      removeDir();
    },
  };
}

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

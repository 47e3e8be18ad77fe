// The SQLite database and its -wal and -shm files are readable by their owner only, as
// DATA_DIR/app-secret is: new ones are made so, and an earlier version's are narrowed.
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('the SQLite files', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the database, writes to it (so the -wal and -shm files exist) and gives the three files' modes. */
  const written = async (path: string) => {
    const database = openDatabase({ kind: 'sqlite', path });
    try {
      await sql`create table if not exists t (x integer)`.execute(database.db);
      await sql`insert into t values (1)`.execute(database.db);
      const files = [path, `${path}-wal`, `${path}-shm`];
      expect(files.every((file) => existsSync(file))).toBe(true);
      return files.map(modeOf);
    } finally {
      await database.close();
    }
  };

  it('are created readable and writable by their owner only, in a directory only the owner opens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pregon-db-'));
    dirs.push(dir);
    const path = join(dir, 'data', 'pregon.db');
    expect(await written(path)).toEqual([0o600, 0o600, 0o600]);
    expect(modeOf(join(dir, 'data'))).toBe(0o700);
  });

  it("narrow an earlier version's world-readable files to their owner", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pregon-db-'));
    dirs.push(dir);
    const path = join(dir, 'pregon.db');
    await written(path);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      if (!existsSync(file)) writeFileSync(file, '');
      chmodSync(file, 0o644);
    }
    expect(await written(path)).toEqual([0o600, 0o600, 0o600]);
  });
});

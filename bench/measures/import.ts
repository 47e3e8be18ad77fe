// CSV import: rows a second through the streaming import POST /api/subscribers/import runs
// (importSubscribers over the request body), on SQLite (`import_rows_per_s`) and on PostgreSQL
// (`import_rows_per_s_postgres`), and how much the importing process's resident memory grows over
// an import on SQLite (`import_rss_mb`: the kernel's high-water mark, VmHWM, at the end, less
// VmRSS before it). Each import runs in a process of its own (bench/support/import-child.ts), into
// a fresh database that already holds the rows of a small warm-up import. The median of three
// imports a database; one at scale 5 and above, where a single import of half a million rows or
// more is long enough to be steady and three would take most of the bench's half hour, and one
// below 0.1 (the suite's run), where the figures only have to be there.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { ImportResult } from '../support/import-child.js';
import { median } from '../support/median.js';
import { scaled, type BenchContext, type Measure } from './measure.js';

const SCRIPT = new URL('../support/import-child.ts', import.meta.url).pathname;

export const measure: Measure = async (context) => {
  const runs = context.scale >= 5 || context.scale < 0.1 ? 1 : 3;
  const rows = scaled(context, 100_000, 1000);
  const sqlite: Imported[] = [];
  const postgres: Imported[] = [];
  for (let run = 0; run < runs; run++) {
    sqlite.push(await importInChild(context, 'sqlite', rows));
    postgres.push(await importInChild(context, 'postgres', rows));
  }
  const rate = (imports: Imported[]) => median(imports.map((i) => i.rows / i.seconds));
  return {
    import_rows_per_s: rate(sqlite),
    import_rows_per_s_postgres: rate(postgres),
    import_rss_mb: Math.max(0.1, Math.round(Math.max(...sqlite.map((i) => i.rssGrowthMb)))),
  };
};

interface Imported extends ImportResult {
  rssGrowthMb: number;
}

async function importInChild(context: BenchContext, kind: 'sqlite' | 'postgres', rows: number): Promise<Imported> {
  const child = fork(SCRIPT, [kind, String(rows)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 2, 2, 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = () =>
    Promise.race([
      new Promise<ChildMessage>((resolve) => child.once('message', (m: ChildMessage) => resolve(m))),
      exited.then(() => Promise.reject(new Error(`The ${kind} import process exited early`))),
    ]);
  try {
    const ready = await next();
    if ('error' in ready) throw new Error(ready.error);
    const before = status(child.pid!).VmRSS!;
    child.send('go');
    const done = await next();
    if ('error' in done) throw new Error(done.error);
    if (!('result' in done)) throw new Error(`Unexpected message ${JSON.stringify(done)}`);
    const peak = status(child.pid!).VmHWM!;
    const { result } = done;
    const rssGrowthMb = (peak - before) / 1024;
    context.log(
      `import (${kind}): ${rows.toLocaleString('en')} rows (${result.megabytes.toFixed(1)} MB) ` +
        `in ${result.seconds.toFixed(2)} s, ${Math.round(rows / result.seconds).toLocaleString('en')} rows/s; ` +
        `CPU ${result.cpuSeconds.toFixed(2)} s` +
        (kind === 'postgres' ? ` + PostgreSQL ${result.databaseCpuSeconds.toFixed(2)} s` : '') +
        `; RSS ${(before / 1024).toFixed(0)} MB before, ${(peak / 1024).toFixed(0)} MB at most; ` +
        `${result.report.created} created, ${result.report.merged} merged, ${result.report.failed} failed; ` +
        `load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
    return { ...result, rssGrowthMb };
  } finally {
    // Told to finish, it drops its database and exits.
    if (child.connected) child.disconnect();
    await exited;
  }
}

type ChildMessage = { ready: true } | { result: ImportResult } | { error: string };

/** The fields of /proc/<pid>/status in kB. */
function status(pid: number): Record<string, number> {
  const fields: Record<string, number> = {};
  for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const match = /^(\w+):\s+(\d+) kB$/.exec(line);
    if (match) fields[match[1]!] = Number(match[2]);
  }
  return fields;
}

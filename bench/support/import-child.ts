// One CSV import in a process of its own, for bench/measures/import.ts to read its memory from
// outside: makes a scratch database (`kind`), warms up with a small import, tells its parent it is
// ready (the parent reads its RSS then), imports `rows` generated rows when told to go, checks the
// report and sends the time it took. It drops its database and exits when the parent disconnects.
//
//   node --import tsx bench/support/import-child.ts sqlite 100000   (alone: prints the result; e.g. with --cpu-prof)
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { importSubscribers } from '../../src/audience/csv-import.js';
import type { ImportReport } from '../../src/audience/schemas.js';
import { benchData } from './bench-data.js';
import { reportMatches, subscriberCsv, type ExpectedReport } from './subscriber-csv.js';

/** Linux's clock ticks of /proc/<pid>/stat (USER_HZ, 100 on every architecture Node runs on). */
const TICKS_PER_SECOND = 100;

export interface ImportResult {
  rows: number;
  megabytes: number;
  seconds: number;
  /** CPU time of this process (user + system) over the import. */
  cpuSeconds: number;
  /** CPU time of its PostgreSQL backends over the import (0 on SQLite). */
  databaseCpuSeconds: number;
  report: { created: number; merged: number; failed: number };
}

const [kind, rowsArg] = process.argv.slice(2);
if (kind !== 'sqlite' && kind !== 'postgres') throw new Error('usage: import-child.ts sqlite|postgres ROWS');
const rows = Number(rowsArg);

// Names this process's PostgreSQL connections, to read their backends' CPU time.
process.env.PGAPPNAME = `pregon-import-bench-${process.pid}`;
const data = await benchData(kind, 0);
try {
  await data.stores.topics.create({ key: 'refugees', name: { en: 'Refugees', es: 'Refugiados' }, public: true });
  const { subscribers } = data.stores;
  const warmUp = subscriberCsv(1000, 'warmup.example.org');
  check(await importSubscribers(subscribers, warmUp.stream, 'active'), warmUp.expected);

  if (process.send) await told('go', { ready: true });
  const csv = subscriberCsv(rows, 'example.org');
  const cpu = process.cpuUsage();
  const backendsBefore = await backendTicks();
  const started = performance.now();
  const report = await importSubscribers(subscribers, csv.stream, 'active');
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  const backendsAfter = await backendTicks();
  let ticks = 0;
  for (const [pid, after] of backendsAfter) ticks += after - (backendsBefore.get(pid) ?? 0);
  check(report, csv.expected);
  const result: ImportResult = {
    rows,
    megabytes: csv.bytes() / 2 ** 20,
    seconds,
    cpuSeconds: (user + system) / 1e6,
    databaseCpuSeconds: ticks / TICKS_PER_SECOND,
    report: { created: report.created, merged: report.merged, failed: report.failed },
  };
  if (process.send) await told('disconnect', { result });
  else console.log(JSON.stringify(result));
} catch (err) {
  if (process.connected) process.send!({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  else if (!process.send) throw err;
} finally {
  await data.drop();
}
process.exit(0);

/** CPU time of this process's PostgreSQL backends (pid → ticks), read from /proc: the server is local. */
async function backendTicks(): Promise<Map<number, number>> {
  const ticks = new Map<number, number>();
  if (kind !== 'postgres') return ticks;
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where application_name = ${process.env.PGAPPNAME}`.execute(data.database.db);
  for (const { pid } of rows) {
    try {
      // Fields 14 and 15 (utime, stime), counted after the command's closing parenthesis.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // A backend that ended in between.
    }
  }
  return ticks;
}

/** Sends `message`, then waits for the parent's `go` (a message) or for it to disconnect; gone before `go` ends it. */
function told(what: 'go' | 'disconnect', message: object): Promise<void> {
  return new Promise((resolve, reject) => {
    if (what === 'go') {
      process.once('message', () => resolve());
      process.once('disconnect', () => reject(new Error('The parent went before the import')));
    } else {
      process.once('disconnect', () => resolve());
    }
    process.send!(message);
  });
}

/** A fast import that imported the wrong thing measures nothing. */
function check(report: ImportReport, expected: ExpectedReport): void {
  if (!reportMatches(report, expected)) {
    throw new Error(
      `import report ${JSON.stringify({ ...report, errors: report.errors.length })}, ` +
        `expected ${JSON.stringify(expected)}`,
    );
  }
}

// The export_rows_per_s / export_rss_mb child (bench/measures/subscribers.ts): exports every
// subscriber of DATABASE_URL through exportSubscribers, as GET /api/subscribers/export does, into
// a sink that counts and drops the bytes, in a process of its own so that its RSS is the export's.
// Prints one JSON line: rows, bytes, seconds, CPU seconds, RSS before and the peak (kB).
//   node --import tsx bench/support/export-process.ts   (env: as benchEnv makes it)
import { readFileSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { exportSubscribers } from '../../src/audience/csv-export.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { createMediaFiles } from '../../src/media/media-files.js';
import { createStores } from '../../src/stores.js';

const config = loadConfig(process.env);
const database = openDatabase(config.database);
const stores = createStores(database, { ...config, media: createMediaFiles(config) });
let bytes = 0;
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    bytes += chunk.length;
    done();
  },
});

// Modules loaded and the database open: what is there before the first row.
await database.ping();
const beforeKb = statusKb('VmRSS');
// 5 resets the kernel's peak-RSS mark (VmHWM) to the current RSS.
writeFileSync('/proc/self/clear_refs', '5');
const cpu = process.cpuUsage();
const started = performance.now();
const rows = await exportSubscribers(stores.subscribers, {}, sink);
const seconds = (performance.now() - started) / 1000;
const { user, system } = process.cpuUsage(cpu);
const peakKb = statusKb('VmHWM');
await database.close();
console.log(JSON.stringify({ rows, bytes, seconds, cpuSeconds: (user + system) / 1e6, beforeKb, peakKb }));

function statusKb(field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.match(/\d+/)?.[0]);
}

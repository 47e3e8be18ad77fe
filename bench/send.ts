// Throughput of the send pipeline: a campaign to N subscribers through the real worker
// (BullMQ on Redis, the real SES v2 client) against a stub SES in a child process that accepts
// everything at once, so what is measured is Pregón's own cost.
//   npx tsx bench/send.ts [--recipients 10000] [--db sqlite|postgres] [--rate 5000]
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { BulletinDocument } from '../src/bulletins/document.js';
import { EXAMPLE_FILE } from '../src/bulletins/example.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createSending, createStores } from '../src/stores.js';
import { startWorker } from '../workers/worker.js';
import { scratchDatabase } from './support/scratch-database.js';

const { values } = parseArgs({ options: { recipients: { type: 'string', default: '10000' }, db: { type: 'string', default: 'sqlite' }, rate: { type: 'string', default: '5000' } } });
const N = Number(values.recipients);

// The stub SES: answers every SendEmail with a message id, in its own process.
const STUB = `require('http').createServer((q, s) => { q.resume(); q.on('end', () => { s.writeHead(200, {'content-type': 'application/json'}); s.end(JSON.stringify({ MessageId: String(Math.random()) })); }); }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
const stub = spawn(process.execPath, ['-e', STUB], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<string>((resolve) => stub.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));

const scratch = await scratchDatabase(values.db as 'sqlite' | 'postgres');
const config = loadConfig({
  APP_SECRET: 'bench-secret-bench-secret-bench-secret',
  DATA_DIR: scratch.dir,
  DATABASE_URL: scratch.url,
  QUEUE_PREFIX: `bench-${randomUUID()}`,
  SES_ENDPOINT: `http://127.0.0.1:${port}`,
  SES_MAX_SEND_RATE: values.rate,
  LOG_LEVEL: 'warn',
});
const database = openDatabase(config.database);
await migrateToLatest(database);
const stores = createStores(database, config);
const sending = createSending(stores, config, `http://127.0.0.1:${port}`);

await stores.settings.update({ organisationName: 'NNIRR', postalAddress: '310 8th Street, Oakland, CA', senderEmail: 'bulletin@nnirr.org' });
await stores.topics.create({ key: 'weekly-bulletin', name: { en: 'Weekly bulletin', es: 'Boletín semanal' }, public: true });
const topicIds = await stores.subscribers.topicIds();
for (let start = 0; start < N; start += 1000) {
  const rows = [];
  for (let i = start; i < Math.min(N, start + 1000); i++) {
    rows.push({ line: i, email: `person${i}@example.org`, name: `Person ${i}`, language: i % 3 === 0 ? 'es' : 'en', topicIds: [topicIds.get('weekly-bulletin')!], tags: [], attributes: {} });
  }
  await stores.subscribers.mergeBatch(rows, 'active');
}
const bulletin = await stores.bulletins.create(BulletinDocument.parse(JSON.parse(readFileSync(EXAMPLE_FILE, 'utf8'))));

const worker = await startWorker({ config, logger: pino({ level: 'warn' }), stores, sending });
const cpuBefore = process.cpuUsage();
const started = performance.now();
const campaign = await sending.service.send(bulletin.id, { rule: { all: [] }, tracking: 'aggregate' });
let report = await stores.campaigns.report(campaign.id);
while (report.state !== 'sent') {
  await new Promise((r) => setTimeout(r, 100));
  report = await stores.campaigns.report(campaign.id);
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const cpuMsPerMessage = (cpu.user + cpu.system) / 1000 / report.counts.sent;

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ${values.db}, SES_MAX_SEND_RATE=${values.rate}`);
console.log(`| database | recipients | sent | wall time | recipients/s | CPU per message |`);
console.log(`|---|---:|---:|---:|---:|---:|`);
console.log(`| ${values.db} | ${N.toLocaleString('en')} | ${report.counts.sent.toLocaleString('en')} | ${seconds.toFixed(1)} s | ${Math.round(report.counts.sent / seconds)} | ${cpuMsPerMessage.toFixed(2)} ms |`);

await worker.close();
await sending.queues.campaigns.obliterate({ force: true });
await sending.queues.deliveries.obliterate({ force: true });
await sending.close();
await database.close();
stub.kill();
await scratch.drop();

// Times the audience preview (POST /api/audience/preview's work) over 100,000 subscribers, on
// SQLite and on PostgreSQL, for the rules staff write most.
//   npx tsx bench/audience.ts [--subscribers 100000] [--db sqlite|postgres|both] [--runs 5]
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { AudienceStore } from '../src/audience/audience-store.js';
import type { Rule } from '../src/audience/rules.js';
import { SubscriberStore, type ImportRow } from '../src/audience/subscriber-store.js';
import { SuppressionList } from '../src/audience/suppressions.js';
import { TopicStore } from '../src/audience/topic-store.js';
import { parseDatabaseUrl } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { scratchDatabase } from './support/scratch-database.js';

const { values } = parseArgs({
  options: { subscribers: { type: 'string', default: '100000' }, db: { type: 'string', default: 'both' }, runs: { type: 'string', default: '5' } },
});
const COUNT = Number(values.subscribers);
const RUNS = Number(values.runs);
const SECRET = 'bench-secret-bench-secret-bench-secret';

const RULES: [string, Rule, string?][] = [
  ['everyone on the weekly bulletin', { all: [] }, 'weekly-bulletin'],
  ['Spanish speakers in border states who follow refugee news', { all: [{ language: ['es'] }, { attribute: 'state', op: 'in', value: ['TX', 'AZ', 'NM', 'CA'] }, { topic: 'refugees' }] }],
  ['everyone except those tagged press', { not: { tag: 'press' } }],
  ['age 40 or more, joined before 2025', { all: [{ attribute: 'age', op: 'gte', value: 40 }, { attribute: 'joined', op: 'lt', value: '2025-01-01' }] }],
];

async function withDatabase(kind: 'sqlite' | 'postgres', run: (db: Database) => Promise<void>): Promise<void> {
  const scratch = await scratchDatabase(kind);
  const db = openDatabase(parseDatabaseUrl(scratch.url));
  try {
    await run(db);
  } finally {
    await db.close();
    await scratch.drop();
  }
}

async function fill(db: Database): Promise<void> {
  await migrateToLatest(db);
  const topics = new TopicStore(db.db);
  for (const key of ['weekly-bulletin', 'refugees', 'border']) await topics.create({ key, name: { en: key }, public: true });
  const suppressions = new SuppressionList(db.db, SECRET);
  const subscribers = new SubscriberStore(db.db, suppressions);
  const topicIds = await subscribers.topicIds();
  const states = ['TX', 'AZ', 'NM', 'CA', 'NY', 'IL', 'FL'];
  for (let start = 0; start < COUNT; start += 1000) {
    const rows: ImportRow[] = [];
    for (let i = start; i < Math.min(COUNT, start + 1000); i++) {
      rows.push({
        line: i,
        email: `person${i}@${i % 5 === 0 ? 'nnirr.org' : 'example.org'}`,
        name: `Person ${i}`,
        language: i % 3 === 0 ? 'es' : 'en',
        topicIds: [topicIds.get('weekly-bulletin')!, ...(i % 4 === 0 ? [topicIds.get('refugees')!] : []), ...(i % 7 === 0 ? [topicIds.get('border')!] : [])],
        tags: i % 50 === 0 ? ['press'] : i % 11 === 0 ? ['volunteer'] : [],
        attributes: { state: states[i % states.length]!, age: String(18 + (i % 60)), joined: `202${3 + (i % 3)}-0${1 + (i % 9)}-15` },
      });
    }
    await subscribers.mergeBatch(rows, 'active');
  }
  // Some of everyone that a send leaves out
  await db.db.updateTable('subscribers').set({ status: 'unsubscribed' }).where((eb) => eb(eb.fn('mod', ['id', eb.lit(31)]), '=', 0)).execute();
  await db.db.updateTable('subscribers').set({ status: 'pending' }).where((eb) => eb(eb.fn('mod', ['id', eb.lit(37)]), '=', 0)).execute();
  await db.db.updateTable('subscribers').set({ paused_until: '2999-01-01T00:00:00.000Z' }).where((eb) => eb(eb.fn('mod', ['id', eb.lit(41)]), '=', 0)).execute();
  for (let i = 0; i < COUNT; i += 97) await suppressions.add(`person${i}@${i % 5 === 0 ? 'nnirr.org' : 'example.org'}`, 'bounced');
}

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ${COUNT.toLocaleString('en')} subscribers, median of ${RUNS} runs`);
console.log('| database | rule | selected | eligible | median | slowest |');
console.log('|---|---|---:|---:|---:|---:|');
for (const kind of values.db === 'both' ? (['sqlite', 'postgres'] as const) : [values.db as 'sqlite' | 'postgres']) {
  await withDatabase(kind, async (db) => {
    await fill(db);
    const audience = new AudienceStore(db.db, kind);
    for (const [name, rule, topic] of RULES) {
      const times: number[] = [];
      let result = await audience.preview(rule, topic);
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        result = await audience.preview(rule, topic);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      console.log(
        `| ${kind} | ${name} | ${result.selected.toLocaleString('en')} | ${result.eligible.toLocaleString('en')} | ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms | ${times.at(-1)!.toFixed(0)} ms |`,
      );
    }
  });
}

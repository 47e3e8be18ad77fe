// The deeper study behind `preview_ms_*` of `npm run bench`: the audience preview
// (POST /api/audience/preview's work) over 100,000 subscribers, on SQLite and on PostgreSQL,
// for the rules staff write most.
//   npx tsx bench/audience.ts [--subscribers 100000] [--db sqlite|postgres|both] [--runs 5]
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import type { Rule } from '../src/audience/rules.js';
import { benchData, BENCH_TOPIC } from './support/bench-data.js';
import { median } from './support/median.js';
import { addVariedAudience } from './support/varied-audience.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '100000' },
    db: { type: 'string', default: 'both' },
    runs: { type: 'string', default: '5' },
  },
});
const COUNT = Number(values.subscribers);
const RUNS = Number(values.runs);

const RULES: [string, Rule, string?][] = [
  ['everyone on the weekly bulletin', { all: [] }, BENCH_TOPIC],
  [
    'Spanish speakers in border states who follow refugee news',
    {
      all: [
        { language: ['es'] },
        { attribute: 'state', op: 'in', value: ['TX', 'AZ', 'NM', 'CA'] },
        { topic: 'refugees' },
      ],
    },
  ],
  ['everyone except those tagged press', { not: { tag: 'press' } }],
  [
    'age 40 or more, joined before 2025',
    {
      all: [
        { attribute: 'age', op: 'gte', value: 40 },
        { attribute: 'joined', op: 'lt', value: '2025-01-01' },
      ],
    },
  ],
];

console.log(
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ` +
    `${COUNT.toLocaleString('en')} subscribers, median of ${RUNS} runs`,
);
console.log('| database | rule | selected | eligible | median | slowest |');
console.log('|---|---|---:|---:|---:|---:|');
for (const kind of values.db === 'both' ? (['sqlite', 'postgres'] as const) : [values.db as 'sqlite' | 'postgres']) {
  const data = await benchData(kind, 0);
  try {
    await addVariedAudience(data, COUNT);
    const { audience } = data.stores;
    for (const [name, rule, topic] of RULES) {
      const times: number[] = [];
      let result = await audience.preview(rule, topic);
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        result = await audience.preview(rule, topic);
        times.push(performance.now() - started);
      }
      console.log(
        `| ${kind} | ${name} | ${result.selected.toLocaleString('en')} | ${result.eligible.toLocaleString('en')} | ` +
          `${median(times).toFixed(0)} ms | ${Math.max(...times).toFixed(0)} ms |`,
      );
    }
  } finally {
    await data.drop();
  }
}

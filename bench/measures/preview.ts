// The audience preview staff see while they build a rule (POST /api/audience/preview runs
// AudienceStore.preview): the median of a three-condition rule over 100,000 subscribers, for a
// bulletin of the weekly-bulletin topic, on each database.
import type { Rule } from '../../src/audience/rules.js';
import { benchData, BENCH_TOPIC } from '../support/bench-data.js';
import { median } from '../support/median.js';
import { addVariedAudience } from '../support/varied-audience.js';
import { scaled, type BenchContext, type Measure } from './measure.js';

/** Spanish speakers in Texas who follow refugee news. */
const RULE: Rule = {
  all: [{ topic: 'refugees' }, { language: ['es'] }, { attribute: 'state', op: 'eq', value: 'TX' }],
};
const RUNS = 7;

export const measure: Measure = async (context) => ({
  preview_ms_sqlite: await previewMs(context, 'sqlite'),
  preview_ms_postgres: await previewMs(context, 'postgres'),
});

async function previewMs(context: BenchContext, kind: 'sqlite' | 'postgres'): Promise<number> {
  const subscribers = scaled(context, 100_000, 1000);
  const data = await benchData(kind, 0);
  try {
    await addVariedAudience(data, subscribers);
    const { audience } = data.stores;
    let preview = await audience.preview(RULE, BENCH_TOPIC); // warm-up: the first run reads the tables into the cache
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      preview = await audience.preview(RULE, BENCH_TOPIC);
      times.push(performance.now() - started);
    }
    if (preview.eligible === 0) throw new Error('the rule selected no one: the preview measured nothing');
    context.log(
      `preview ${kind}: ${subscribers.toLocaleString('en')} subscribers, ` +
        `${preview.selected} selected, ${preview.eligible} eligible, ` +
        `runs ${times.map((t) => t.toFixed(0)).join(' ')} ms`,
    );
    return median(times);
  } finally {
    await data.drop();
  }
}

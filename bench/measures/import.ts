// CSV import: rows a second through the streaming import POST /api/subscribers/import runs
// (importSubscribers over the request body), on SQLite. The median of three imports, each into a
// fresh database that already holds the rows of a small warm-up import.
import { importSubscribers } from '../../src/audience/csv-import.js';
import type { ImportReport } from '../../src/audience/schemas.js';
import { benchData } from '../support/bench-data.js';
import { median } from '../support/median.js';
import { reportMatches, subscriberCsv, type ExpectedReport } from '../support/subscriber-csv.js';
import { scaled, type BenchContext, type Measure } from './measure.js';

const RUNS = 3;

export const measure: Measure = async (context) => {
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) rates.push(await importRate(context));
  return { import_rows_per_s: median(rates) };
};

async function importRate(context: BenchContext): Promise<number> {
  const rows = scaled(context, 100_000, 1000);
  const data = await benchData('sqlite', 0);
  try {
    await data.stores.topics.create({ key: 'refugees', name: { en: 'Refugees', es: 'Refugiados' }, public: true });
    const { subscribers } = data.stores;

    const warmUp = subscriberCsv(1000, 'warmup.example.org');
    check(await importSubscribers(subscribers, warmUp.stream, 'active'), warmUp.expected);

    const csv = subscriberCsv(rows, 'example.org');
    const started = performance.now();
    const report = await importSubscribers(subscribers, csv.stream, 'active');
    const seconds = (performance.now() - started) / 1000;
    check(report, csv.expected);
    context.log(
      `import: ${rows.toLocaleString('en')} rows (${(csv.bytes() / 2 ** 20).toFixed(1)} MB) ` +
        `in ${seconds.toFixed(2)} s: ` +
        `${report.created} created, ${report.merged} merged, ${report.failed} failed`,
    );
    return rows / seconds;
  } finally {
    await data.drop();
  }
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

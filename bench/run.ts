// `npm run bench`: every measure of docs/performance.md in one process tree, on loopback, each on
// its own data, database and Redis prefix; a table of the figures against the targets.
//   npm run bench [-- --scale 1] [-- --json] [-- --only render,import,abuse]
// Progress goes to stderr; stdout carries the table and, with --json, the figures as one JSON
// object on its last line. A missed target is a finding, not a failure: the exit code is 0
// unless a measure could not run.
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import type { BenchContext, Figures, Measure } from './measures/measure.js';
import { measure as abuse } from './measures/abuse.js';
import { measure as importMeasure } from './measures/import.js';
import { measure as media } from './measures/media.js';
import { measure as pipeline } from './measures/pipeline.js';
import { measure as preview } from './measures/preview.js';
import { measure as render } from './measures/render.js';
import { measure as scaleOut } from './measures/scale-out.js';
import { measure as report } from './measures/report.js';
import { measure as snapshot } from './measures/snapshot.js';
import { measure as subscribers } from './measures/subscribers.js';
import { measure as urgent } from './measures/urgent.js';
import { measure as workerMemory } from './measures/worker-memory.js';

// The AWS SDK warns that later versions will want Node 22; Pregón pins its version (as src/main.ts).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** In the order they run: the cheap, pure ones first, the long campaigns last. */
const MEASURES: [string, Measure][] = [
  ['render', render],
  ['import', importMeasure],
  ['snapshot', snapshot],
  ['preview', preview],
  ['subscribers', subscribers],
  ['report', report],
  ['abuse', abuse],
  ['media', media],
  ['pipeline', pipeline],
  ['urgent', urgent],
  ['scale-out', scaleOut],
  ['worker-memory', workerMemory],
];

interface Row {
  key: string;
  unit: string;
  /** Text of the target and whether the figures meet it; absent for a figure without a target. */
  target?: { text: string; met(figures: Figures): boolean | undefined };
}

const atLeast = (key: string, value: number): Row['target'] => ({
  text: `≥ ${value.toLocaleString('en')}`,
  met: (f) => (f[key] === undefined ? undefined : f[key]! >= value),
});
const atMost = (key: string, value: number): Row['target'] => ({
  text: `≤ ${value.toLocaleString('en')}`,
  met: (f) => (f[key] === undefined ? undefined : f[key]! <= value),
});

/** Every figure of the issue, in the order of the table, with its target. */
const ROWS: Row[] = [
  { key: 'render_ms', unit: 'ms' },
  { key: 'personalise_us', unit: 'µs' },
  { key: 'render_over_personalise', unit: '×', target: atLeast('render_over_personalise', 300) },
  { key: 'rule_eval_ns', unit: 'ns' },
  { key: 'personalise_conditional_us', unit: 'µs' },
  {
    key: 'render_over_personalise_conditional',
    unit: '×',
    target: atLeast('render_over_personalise_conditional', 300),
  },
  { key: 'import_rows_per_s', unit: 'rows/s', target: atLeast('import_rows_per_s', 20_000) },
  {
    key: 'import_rows_per_s_postgres',
    unit: 'rows/s',
    target: atLeast('import_rows_per_s_postgres', 20_000),
  },
  { key: 'import_rss_mb', unit: 'MB', target: atMost('import_rss_mb', 250) },
  { key: 'snapshot_per_s_sqlite', unit: 'rows/s', target: atLeast('snapshot_per_s_sqlite', 50_000) },
  { key: 'snapshot_per_s_postgres', unit: 'rows/s', target: atLeast('snapshot_per_s_postgres', 50_000) },
  { key: 'preview_ms_sqlite', unit: 'ms', target: atMost('preview_ms_sqlite', 300) },
  { key: 'preview_ms_postgres', unit: 'ms', target: atMost('preview_ms_postgres', 300) },
  { key: 'subscriber_page_ms', unit: 'ms', target: atMost('subscriber_page_ms', 100) },
  { key: 'export_rows_per_s', unit: 'rows/s' },
  { key: 'export_rss_mb', unit: 'MB', target: atMost('export_rss_mb', 250) },
  { key: 'report_ms', unit: 'ms', target: atMost('report_ms', 200) },
  { key: 'healthz_p99_ms_idle', unit: 'ms' },
  {
    key: 'healthz_p99_ms_under_abuse',
    unit: 'ms',
    target: {
      text: '≤ 5 × idle and ≤ 100',
      met: (f) =>
        f.healthz_p99_ms_under_abuse === undefined || f.healthz_p99_ms_idle === undefined
          ? undefined
          : f.healthz_p99_ms_under_abuse <= 5 * f.healthz_p99_ms_idle && f.healthz_p99_ms_under_abuse <= 100,
    },
  },
  { key: 'abuse_requests_per_s', unit: 'req/s' },
  { key: 'sdk_ceiling_per_s', unit: 'mails/s' },
  { key: 'pipeline_per_s', unit: 'mails/s' },
  { key: 'pipeline_over_ceiling', unit: '×', target: atLeast('pipeline_over_ceiling', 0.7) },
  { key: 'cpu_ms_per_mail', unit: 'ms' },
  { key: 'bulk_over_simple', unit: '×', target: atLeast('bulk_over_simple', 5) },
  { key: 'pipeline_per_s_workers_1', unit: 'mails/s' },
  { key: 'pipeline_per_s_workers_2', unit: 'mails/s' },
  { key: 'pipeline_per_s_workers_3', unit: 'mails/s' },
  { key: 'rate_overshoot', unit: '', target: atMost('rate_overshoot', 0.05) },
  { key: 'urgent_slowdown', unit: '×', target: atMost('urgent_slowdown', 1.2) },
  { key: 'urgent_first_mail_ms', unit: 'ms' },
  { key: 'media_upload_ms', unit: 'ms' },
  { key: 'media_rss_mb', unit: 'MB', target: atMost('media_rss_mb', 150) },
  { key: 'worker_rss_mb_small', unit: 'MB' },
  {
    key: 'worker_rss_mb_large',
    unit: 'MB',
    target: {
      text: '≤ 1.3 × small and ≤ 200',
      met: (f) =>
        f.worker_rss_mb_large === undefined || f.worker_rss_mb_small === undefined
          ? undefined
          : f.worker_rss_mb_large <= 1.3 * f.worker_rss_mb_small && f.worker_rss_mb_large <= 200,
    },
  },
];

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const scale = Number(args.scale);
if (!(scale > 0 && Number.isFinite(scale))) throw new Error('--scale must be a number above 0');
const only = args.only
  ?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknown = only?.filter((name) => !MEASURES.some(([known]) => known === name)) ?? [];
if (unknown.length)
  throw new Error(
    `--only: no measure named ${unknown.join(', ')} (there are ${MEASURES.map(([name]) => name).join(', ')})`,
  );

const machine =
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ` +
  `${Math.round(totalmem() / 2 ** 30)} GB RAM`;
const context: BenchContext = { scale, log: (line) => process.stderr.write(`${line}\n`) };
context.log(`bench at scale ${scale} on ${machine}`);

const figures: Figures = {};
const failed: string[] = [];
const benchStarted = performance.now();
for (const [name, measure] of MEASURES) {
  if (only && !only.includes(name)) continue;
  const started = performance.now();
  context.log(`— ${name}`);
  try {
    // Each measure cleans up after itself, also when it throws.
    const result = await measure(context);
    for (const [key, value] of Object.entries(result)) {
      if (!Number.isFinite(value)) throw new Error(`${key} is ${value}, not a number`);
    }
    Object.assign(figures, result);
    context.log(`— ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (err) {
    failed.push(name);
    context.log(`— ${name} FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}
if (figures.pipeline_over_ceiling === undefined && figures.pipeline_per_s !== undefined && figures.sdk_ceiling_per_s) {
  figures.pipeline_over_ceiling = figures.pipeline_per_s / figures.sdk_ceiling_per_s;
}

console.log(table(figures));
console.log(`\nscale ${scale}, ${machine}, ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`);
if (failed.length) console.log(`failed: ${failed.join(', ')} (see stderr)`);
if (args.json) console.log(JSON.stringify(figures));

// A measure that left a socket, timer or child behind would keep the bench alive: say so, and end
// anyway. Closing sockets and children being killed get a moment to go first.
await new Promise((resolve) => setTimeout(resolve, 500));
// TTYWrap and PipeWrap are stdio.
const left = process.getActiveResourcesInfo().filter((resource) => resource !== 'TTYWrap' && resource !== 'PipeWrap');
if (left.length) context.log(`note: resources still open after the measures: ${left.join(', ')}`);
process.exit(failed.length ? 1 : 0);

function table(figures: Figures): string {
  const known = new Set(ROWS.map((row) => row.key));
  const rows = [
    ...ROWS.filter((row) => figures[row.key] !== undefined),
    ...Object.keys(figures)
      .filter((key) => !known.has(key))
      .map((key): Row => ({ key, unit: '' })),
  ];
  const cells = rows.map((row) => {
    const met = row.target?.met(figures);
    return [
      row.key,
      format(figures[row.key]!),
      row.unit,
      row.target?.text ?? '',
      met === undefined ? '' : met ? 'ok' : 'MISSED',
    ];
  });
  const header = ['figure', 'value', 'unit', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function format(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

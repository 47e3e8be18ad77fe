// Runs `npm run bench` at a tiny scale so the benchmark cannot rot: every figure of
// docs/performance.md comes out as a number. How fast anything is, is never asserted here.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
/** The bench measures PostgreSQL as well as SQLite, so it needs one (and Redis, as every send test). */
const POSTGRES_URL = process.env.TEST_POSTGRES_URL;

/** Every key of the figures (bulk_over_simple only exists with a bulk mode). */
const FIGURES = [
  'render_ms',
  'personalise_us',
  'render_over_personalise',
  'rule_eval_ns',
  'sdk_ceiling_per_s',
  'pipeline_per_s',
  'pipeline_over_ceiling',
  'urgent_slowdown',
  'urgent_first_mail_ms',
  'snapshot_per_s_sqlite',
  'snapshot_per_s_postgres',
  'import_rows_per_s',
  'preview_ms_sqlite',
  'preview_ms_postgres',
  'healthz_p99_ms_idle',
  'healthz_p99_ms_under_abuse',
  'abuse_requests_per_s',
  'media_upload_ms',
  'media_rss_mb',
  'worker_rss_mb_small',
  'worker_rss_mb_large',
  'pipeline_per_s_workers_1',
  'pipeline_per_s_workers_2',
  'pipeline_per_s_workers_3',
];
/** Figures that may be zero or below: how far the busiest window went over the rate (below it, negative). */
const SIGNED_FIGURES = ['rate_overshoot'];

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'bench', '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, BENCH_POSTGRES_URL: POSTGRES_URL },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!POSTGRES_URL)('npm run bench (with TEST_POSTGRES_URL)', () => {
  // The limit is for a hang, not a speed: at --scale 0.01 the bench took 163 s under
  // stress-ng --cpu 2, and over 180 s with more load beside it.
  it('prints every figure as a positive number on the last line of its JSON output', { timeout: 600_000 }, async () => {
    const { code, stdout, stderr } = await run(['--scale', '0.01', '--json']);
    expect(code, stderr).toBe(0);
    const figures = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    for (const key of FIGURES) {
      expect(figures[key], `${key} in ${JSON.stringify(figures)}`).toBeTypeOf('number');
      expect(Number.isFinite(figures[key]) && (figures[key] as number) > 0, `${key} = ${String(figures[key])}`).toBe(
        true,
      );
    }
    for (const key of SIGNED_FIGURES) {
      expect(Number.isFinite(figures[key]), `${key} = ${String(figures[key])}`).toBe(true);
    }
    // The readable table comes first, with the targets' verdicts.
    expect(stdout).toMatch(/render_over_personalise\s+[\d,.]+\s+×\s+≥ 300\s+(ok|MISSED)/);
  });
});

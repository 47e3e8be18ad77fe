// Runs `npm run render` the way the README says: a bulletin document file to stdout.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const EXAMPLE_PATH = 'examples/launch-petition-100-days.json';
const EXAMPLE = JSON.parse(readFileSync(join(ROOT, EXAMPLE_PATH), 'utf8')) as {
  blocks: { heading?: Record<string, string> }[];
};
/** The first block's heading, in each language. */
const HEADING = EXAMPLE.blocks.find((block) => block.heading)!.heading!;

describe('npm run render', () => {
  let dataDir: string;

  // DATA_DIR points at a temporary folder so the generated APP_SECRET is not written to ./data.
  const render = (...args: string[]) =>
    spawnSync('npm', ['run', '--silent', 'render', '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      encoding: 'utf8',
      timeout: 30_000,
    });

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pregon-render-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('renders the example as Spanish plain text with its links and the unsubscribe line', () => {
    const run = render(EXAMPLE_PATH, '--lang', 'es', '--format', 'text');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(HEADING.es);
    expect(run.stdout).not.toContain(HEADING.en);
    expect(run.stdout).toMatch(/^Cancelar la suscripción: https?:\/\/\S+\/unsubscribe\/\S+$/m);
    expect(run.stdout).toMatch(/^Firma la petición: https:\/\/nnirr\.org\/petition-refugee-admissions$/m);
  });

  it('renders Spanish HTML', () => {
    const run = render(EXAMPLE_PATH, '--lang', 'es', '--format', 'html');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('<html');
    expect(run.stdout).toContain('lang="es"');
    expect(run.stdout).toContain(HEADING.es);
  });

  it('renders HTML in the first language by default', () => {
    const run = render(EXAMPLE_PATH);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('lang="en"');
    expect(run.stdout).toContain(HEADING.en);
  });

  it('prints the MJML source', () => {
    const run = render(EXAMPLE_PATH, '--lang', 'es', '--format', 'mjml');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^<mjml/);
  });

  it('writes all of a bulletin past 64 KiB into a pipe that a slow reader drains', () => {
    const file = join(dataDir, 'long.json');
    writeFileSync(file, JSON.stringify({ ...EXAMPLE, blocks: Array(4).fill(EXAMPLE.blocks).flat() }));
    const full = render(file);
    expect(full.status, full.stderr).toBe(0);
    const bytes = Buffer.byteLength(full.stdout);
    expect(bytes).toBeGreaterThan(64 * 1024);
    // The reader takes one byte, then lets the pipe fill while it waits: a renderer that exits
    // before stdout drains leaves it the 64 KiB the pipe holds.
    const piped = spawnSync(
      'sh',
      ['-c', 'npm run --silent render -- "$1" | { dd bs=1 count=1 2>/dev/null; sleep 1; cat; } | wc -c', 'sh', file],
      { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 30_000 },
    );
    expect(Number(piped.stdout.trim()), piped.stderr).toBe(bytes);
  });

  it('refuses an invalid document with exit 1 and one line per problem on stderr', () => {
    const file = join(dataDir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        title: 7,
        languages: ['en'],
        subject: { en: 'Hello' },
        blocks: [
          {
            type: 'call_to_action',
            heading: { en: 'Act' },
            body: { en: 'Now' },
            button: { href: 'data:text/html,<script>', label: { en: 'Go' } },
          },
          { type: 'nope' },
        ],
      }),
    );
    const run = render(file);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines.some((line) => line.startsWith('title: '))).toBe(true);
    expect(lines).toContain('blocks[0].button.href: must be an https URL');
    expect(lines.some((line) => line.startsWith('blocks[1].type: '))).toBe(true);
    expect(lines).toHaveLength(3);
  });

  it('exits 1 naming a file it cannot read', () => {
    const missing = join(dataDir, 'no-such-bulletin.json');
    const run = render(missing);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(missing);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('exits 1 naming --lang for a language the bulletin lacks', () => {
    const run = render(EXAMPLE_PATH, '--lang', 'fr');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--lang');
    expect(run.stdout).toBe('');
  });

  it('prints the usage and exits 2 without a file or with an unknown format', () => {
    const none = render();
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('Usage: npm run render');
    const pdf = render(EXAMPLE_PATH, '--format', 'pdf');
    expect(pdf.status).toBe(2);
    expect(pdf.stderr).toContain('Usage: npm run render');
  });

  it('answers an unknown option or a missing value with the usage, not a stack trace', () => {
    for (const args of [
      [EXAMPLE_PATH, '--bogus'],
      [EXAMPLE_PATH, '--lang'],
    ]) {
      const run = render(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toContain('Usage: npm run render');
      expect(run.stderr).not.toMatch(/^\s+at /m);
    }
  });
});

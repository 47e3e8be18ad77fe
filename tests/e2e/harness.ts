// The staff web app in real headless Chromium: a fresh build of the app, a test server on a fresh
// database with the SES emulator and the worker, a browser signed in as a staff member. Screens
// are saved as PNGs under tests/e2e/artifacts/ and checked with axe-core.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { build } from 'vite';
import { expect } from 'vitest';
import type { DatabaseKind } from '../../src/db/database.js';
import type { StaffRole } from '../../src/db/schema.js';
import { markdownToHtml } from '../../src/render/markdown.js';
import { startSesEmulator, type SesEmulator } from '../../src/sending/ses-emulator.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../helpers/app.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(import.meta.dirname, 'artifacts');
export const STAFF_PASSWORD = 'correct horse battery staple';

export interface BrowserApp {
  app: TestApp;
  ses: SesEmulator;
  page: Page;
  /** Errors the page logged (a CSP violation, an exception): a screen that logs one is broken. */
  consoleErrors: string[];
  /** Creates a staff account (admin unless told) and signs in through the sign-in screen. */
  signIn(email?: string, role?: StaffRole): Promise<void>;
  /** Another staff member, made with `role`, signed in in a browser context of their own (own cookies, own session). */
  otherStaff(email: string, role: StaffRole, viewport?: { width: number; height: number }): Promise<Page>;
  /** Opens a path of the app (e.g. "/admin/bulletins") and waits for its heading. */
  open(path: string): Promise<void>;
  /** Saves the page as tests/e2e/artifacts/<prefix>-<name>.png (full page). */
  screenshot(name: string): Promise<void>;
  /** Runs axe-core (WCAG 2 A and AA) and fails on serious or critical violations. */
  expectAccessible(name: string): Promise<void>;
  /** The page's region with exactly this name (the composer's blocks, Checks, Add a block…). */
  region(name: string): Locator;
  /** What the composer says of saving ("Saved at 14:02", "Not saved: a field needs fixing"…). */
  saveStatus(): Promise<string>;
  /** Waits until the composer says its last change is saved. */
  saved(): Promise<void>;
  /** The mail the SES emulator received, newest last. */
  mails(): Promise<StoredEmail[]>;
  close(): Promise<void>;
}

export interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let builtApp: string | undefined;

/** Builds the web app once per test file into a temporary folder, so a test never sees a stale build. */
async function buildStaffApp(): Promise<string> {
  if (builtApp) return builtApp;
  const outDir = mkdtempSync(join(tmpdir(), 'pregon-ui-'));
  await build({
    configFile: join(import.meta.dirname, '../../src/ui/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  builtApp = outDir;
  return outDir;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // This machine has no network: without these Chromium keeps calling Google's services.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export async function startBrowserApp(
  prefix: string,
  kind: DatabaseKind = 'sqlite',
  options: TestAppOptions = {},
): Promise<BrowserApp> {
  const staffAppDir = await buildStaffApp();
  const ses = await startSesEmulator(0);
  // localhost is a secure context for Chromium, so the session cookie works as it would over https.
  // The emulator as the sender, as `npm start` has it in development: the mail viewer is there too.
  const app = await startTestApp(kind, { sesEmulator: ses, worker: true, staffAppDir, ...options });
  const base = app.baseUrl.replace('127.0.0.1', 'localhost');
  const browser = await launchChromium();
  const newPage = async (viewport = { width: 1440, height: 900 }) => {
    const context = await browser.newContext({ viewport, baseURL: base, locale: 'en-GB', timezoneId: 'UTC' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return page;
  };
  const signInOn = async (page: Page, email: string, role: StaffRole) => {
    await app.stores.staff.createUser({ email, password: STAFF_PASSWORD, role });
    await page.goto('/admin/signin');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  };
  const page = await newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    // A refused request shows in the test that made it; here only what breaks the page (CSP, exceptions).
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  mkdirSync(ARTIFACTS, { recursive: true });
  const saveStatus = () => page.locator('.save-status [role="status"]').innerText();

  return {
    app,
    ses,
    page,
    consoleErrors,
    signIn: (email = `${prefix}-admin@example.org`, role = 'admin') => signInOn(page, email, role),
    async otherStaff(email, role, viewport) {
      const other = await newPage(viewport);
      other.on('pageerror', (error) => consoleErrors.push(error.message));
      await signInOn(other, email, role);
      return other;
    },
    async open(path) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
    },
    async screenshot(name) {
      await page.screenshot({ path: join(ARTIFACTS, `${prefix}-${name}.png`), fullPage: true });
    },
    expectAccessible: (name) => expectAccessible(page, name),
    region(name) {
      return page.getByRole('region', { name, exact: true });
    },
    saveStatus,
    async saved() {
      await expect.poll(saveStatus, { timeout: 10_000 }).toMatch(/^Saved at/);
    },
    async mails() {
      return ((await (await fetch(`${ses.url}/store`)).json()) as { emails: StoredEmail[] }).emails;
    },
    async close() {
      await browser.close();
      await app.close();
      await ses.close();
    },
  };
}

/**
 * axe-core (WCAG 2 A and AA) on the page: serious or critical violations fail. Evaluated through
 * the DevTools protocol, so the page's CSP (no inline scripts) still holds.
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: unknown,
            options: unknown,
          ): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.impact} ${v.id}: ${v.help} — ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 5)
            .join(', ')}`,
      );
  });
  expect(violations, `axe on ${name}`).toEqual([]);
}

/** The form field in `scope` labelled exactly `label` (e.g. "Quote (English)"). */
export function field(scope: Locator, label: string): Locator {
  return scope.getByLabel(label, { exact: true });
}

/** Removes the temporary build (call once per file, after the last test). */
export function removeStaffAppBuild(): void {
  if (builtApp) rmSync(builtApp, { recursive: true, force: true });
  builtApp = undefined;
}

/**
 * Replaces the text of a rich text field (a Markdown body) with `markdown`, as a paste of the HTML
 * the server renders from it, which the editor reads back as the same Markdown.
 */
export async function fillRichText(editor: Locator, markdown: string): Promise<void> {
  await editor.click();
  await editor.press('ControlOrMeta+a');
  await editor.press('Delete');
  if (markdown) await pasteHtml(editor, markdownToHtml(markdown));
}

/** A paste of `html` (and `text` as its plain version) into the focused editable element `target`. */
export async function pasteHtml(target: Locator, html: string, text = ''): Promise<void> {
  await target.evaluate(
    (element, [html, text]) => {
      const data = new DataTransfer();
      data.setData('text/html', html!);
      data.setData('text/plain', text!);
      element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    [html, text],
  );
}

/** Selects the first occurrence of `words` in a rich text field, as a drag of the mouse would. */
export async function selectText(editor: Locator, words: string): Promise<void> {
  await editor.focus();
  await editor.evaluate((root, words) => {
    const nodes: Text[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) nodes.push(walker.currentNode as Text);
    const text = nodes.map((node) => node.data).join('');
    const start = text.indexOf(words);
    if (start === -1) throw new Error(`“${words}” is not in the field`);
    const at = (offset: number): [Text, number] => {
      for (const node of nodes) {
        if (offset <= node.data.length) return [node, offset];
        offset -= node.data.length;
      }
      throw new Error('past the end');
    };
    const range = document.createRange();
    range.setStart(...at(start));
    range.setEnd(...at(start + words.length));
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
  }, words);
  // The editor takes the selection from the browser's selectionchange event.
  await editor.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
}

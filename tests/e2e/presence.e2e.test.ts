// Two staff members in two browsers on one bulletin: each composer shows the other ("Also here"),
// says who is editing, tells a screen reader of an arrival, and drops whoever closed the bulletin
// within the next heartbeat, well before the 30 s a silent one takes.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleBulletin } from '../helpers/bulletins.js';
import { ARTIFACTS, removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

const ANA = 'ana-presence@example.org';
const LUIS = 'luis-presence@example.org';
/** Two and a half heartbeats (src/ui/bulletins/Presence.tsx sends one every 10 s). */
const HEARTBEATS = 25_000;

describe('who else has the bulletin open', () => {
  let b: BrowserApp;
  let luis: Page;
  let path: string;

  beforeAll(async () => {
    b = await startBrowserApp('presence');
    await b.signIn(ANA, 'editor');
    const { id } = await (await b.app.request('POST', '/api/bulletins', { json: exampleBulletin() })).json();
    path = `/admin/bulletins/${id}`;
    // Luis in a browser of his own: his own cookies, his own session.
    luis = await b.otherStaff(LUIS, 'admin', { width: 390, height: 844 });
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  const alsoHere = (page: Page) => page.locator('.presence p:not([role])');
  const textOf = async (page: Page) => ((await alsoHere(page).count()) ? alsoHere(page).innerText() : '');

  it('shows each the other, and who is editing', async () => {
    await b.open(path);
    await expect.poll(() => textOf(b.page)).toBe('');
    await luis.goto(path);
    await luis.getByRole('heading', { level: 1 }).waitFor();
    // Luis's first heartbeat finds Ana; Ana's next one finds Luis. A heartbeat is 10 s apart; the
    // polls allow two and a half, as a loaded machine can delay a page's timer and its request.
    await expect.poll(() => textOf(luis), { timeout: HEARTBEATS }).toBe(`Also here: ${ANA}`);
    await expect.poll(() => textOf(b.page), { timeout: HEARTBEATS }).toBe(`Also here: ${LUIS}`);
    expect(await b.page.locator('.presence [role="status"]').innerText()).toBe(`Also here now: ${LUIS}.`);

    await b.page.getByLabel('Title', { exact: true }).fill('Edited while Luis looks');
    await b.saved();
    // Her composer says so at once; Luis's next heartbeat shows it.
    await expect.poll(() => textOf(luis), { timeout: HEARTBEATS }).toBe(`Also here: ${ANA} (editing)`);
    await b.expectAccessible('the composer with someone else in it');
    // The top of each composer, where the names are: Ana's at 1440 px, Luis's on a phone.
    await b.page.screenshot({ path: join(ARTIFACTS, 'presence-composer-1440.png') });
    await luis.screenshot({ path: join(ARTIFACTS, 'presence-composer-390.png') });
  }, 120_000);

  it('drops the one who closed the bulletin within the next heartbeat', async () => {
    await luis.close({ runBeforeUnload: true });
    // 15 s, not HEARTBEATS: a page that did not say it left stays listed for 20 s or more.
    await expect.poll(() => textOf(b.page), { timeout: 15_000 }).toBe('');
    expect(b.consoleErrors).toEqual([]);
  }, 60_000);
});

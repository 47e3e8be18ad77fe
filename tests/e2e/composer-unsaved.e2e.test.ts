// Work is not lost in the composer: a half-filled block saves and its gaps wait in the checks, a
// block just added shows no finding until it is typed in, leaving with a change the server refuses
// asks first (a link, the navigation, the browser's back), and leaving with changes still to save
// saves them before going.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block, BulletinDocument } from '../../src/bulletins/document.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { sendableBulletin } from '../helpers/campaigns.js';
import { field, removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

const EXAMPLE = exampleBulletin();
const CTA = EXAMPLE.blocks.findIndex((block) => block.type === 'call_to_action');
const CTA_HREF = (EXAMPLE.blocks[CTA] as Extract<Block, { type: 'call_to_action' }>).button.href;
const NEW_BLOCK = EXAMPLE.blocks.length + 1;

describe('the composer keeps the work', () => {
  let b: BrowserApp;
  /** What the page asked with window.confirm (or before unloading), in order. */
  const questions: string[] = [];
  /** How the next questions are answered. */
  let answer: 'accept' | 'dismiss' = 'dismiss';

  beforeAll(async () => {
    b = await startBrowserApp('unsaved');
    await sendableBulletin(b.app);
    b.page.on('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog[answer]();
    });
    await b.signIn();
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  const page = () => b.page;
  const region = (name: string) => b.region(name);
  const statusText = () => b.saveStatus();
  const saved = () => b.saved();
  const sendReason = () => page().locator('.send-reason').innerText();
  const back = () => page().getByRole('link', { name: '← Bulletins' });
  const stored = async (id: number) =>
    (await (await b.app.request('GET', `/api/bulletins/${id}`)).json()).document as BulletinDocument;
  const composerPath = (id: number) => `/admin/bulletins/${id}`;

  /** A copy of the example bulletin under its own title, opened in the composer. */
  async function openCopy(title: string): Promise<number> {
    const res = await b.app.request('POST', '/api/bulletins', { json: { ...EXAMPLE, title } });
    const { id } = await res.json();
    // Its Spanish marked ready, so the checks have nothing to say of the example itself.
    await b.app.request('PUT', `/api/bulletins/${id}/languages/es/ready`);
    await b.open(composerPath(id));
    await page().getByRole('heading', { level: 1, name: title }).waitFor();
    await expect.poll(sendReason, { timeout: 10_000 }).toBe('Ready to send.');
    return id;
  }

  async function addBlock(label: string) {
    await region('Add a block')
      .getByRole('button', { name: `New ${label} block` })
      .click();
    return region(`Block ${NEW_BLOCK}: ${label}`);
  }

  it('saves a statement with a quote and no speaker, named missing by the checks, and keeps it on reload', async () => {
    const id = await openCopy('A quote without a speaker');
    const quote = 'No human being is illegal.';
    const statement = await addBlock('Statement');
    await field(statement, 'Quote (English)').fill(quote);
    await saved();
    const finding = region('Checks').getByRole('button', { name: `Block ${NEW_BLOCK} (Statement) · Speaker` });
    await finding.waitFor();
    expect(await finding.innerText()).toContain('the speaker’s name is empty');
    expect(await sendReason()).toBe('To send: fix the error in Checks.');
    expect((await stored(id)).blocks.at(-1)).toMatchObject({ type: 'statement', quote: { en: quote }, speaker: '' });

    await page().reload();
    await page().getByRole('heading', { level: 1, name: 'A quote without a speaker' }).waitFor();
    expect(await field(region(`Block ${NEW_BLOCK}: Statement`), 'Quote (English)').innerText()).toBe(quote);
    expect(await field(region(`Block ${NEW_BLOCK}: Statement`), 'Speaker').inputValue()).toBe('');
    expect(questions).toEqual([]);
  });

  it('shows no finding for a new block until typed in, while Send says the block is still to fill in', async () => {
    const id = await openCopy('A block just added');
    const cta = await addBlock('Call to action');
    await saved();
    // The reason names the new block only once the checks of the version with it are back.
    await expect.poll(sendReason, { timeout: 10_000 }).toBe(`To send: fill in the new block ${NEW_BLOCK}.`);
    expect((await stored(id)).blocks).toHaveLength(NEW_BLOCK);
    const checks = region('Checks');
    expect(await checks.getByRole('button', { name: new RegExp(`^Block ${NEW_BLOCK} `) }).count()).toBe(0);
    expect(await checks.getByText(`Block ${NEW_BLOCK}, just added, is checked once you type in it.`).isVisible()).toBe(
      true,
    );
    expect(await checks.getByText('Nothing to fix so far.').isVisible()).toBe(true);
    expect(await page().locator('[aria-invalid="true"], .field-error').count()).toBe(0);
    await b.screenshot('new-block');

    // A copy of it waits too, until it is typed in.
    await cta.getByRole('button', { name: 'Duplicate' }).click();
    await saved();
    await expect
      .poll(sendReason, { timeout: 10_000 })
      .toBe(`To send: fill in the new blocks ${NEW_BLOCK} and ${NEW_BLOCK + 1}.`);
    expect(
      await checks
        .getByText(`Blocks ${NEW_BLOCK} and ${NEW_BLOCK + 1}, just added, are checked once you type in them.`)
        .isVisible(),
    ).toBe(true);

    await field(cta, 'Heading (English)').fill('Sign the petition');
    await saved();
    await checks.getByRole('button', { name: `Block ${NEW_BLOCK} (Call to action) · Button URL` }).waitFor();
    await expect
      .poll(sendReason)
      .toMatch(new RegExp(`^To send: fix the \\d+ errors in Checks and fill in the new block ${NEW_BLOCK + 1}\\.$`));
    expect(await checks.getByRole('button', { name: new RegExp(`^Block ${NEW_BLOCK + 1} `) }).count()).toBe(0);
    expect(
      await checks.getByText(`Block ${NEW_BLOCK + 1}, just added, is checked once you type in it.`).isVisible(),
    ).toBe(true);
  });

  it('asks before leaving a refused change by "← Bulletins", navigation or Back: Cancel stays, OK goes', async () => {
    const title = 'A refused change';
    const { id } = await (await b.app.request('POST', '/api/bulletins', { json: { ...EXAMPLE, title } })).json();
    // Through the list, so the browser has an entry to go back to.
    await b.open('/admin/bulletins');
    await page().getByRole('link', { name: title, exact: true }).click();
    await page().getByRole('heading', { level: 1, name: title }).waitFor();
    const url = field(region(`Block ${CTA + 1}: Call to action`), 'Button URL');
    await url.fill('javascript:alert(1)');
    await expect.poll(statusText, { timeout: 10_000 }).toBe('Not saved: a field needs fixing');

    const staysAfterAsking = async (leave: () => Promise<unknown>) => {
      const asked = questions.length;
      await leave();
      await expect.poll(() => questions.length).toBe(asked + 1);
      expect(questions.at(-1)).toBe('Leave this bulletin? Its latest changes could not be saved and will be lost.');
      await expect.poll(() => new URL(page().url()).pathname).toBe(composerPath(id));
      expect(await page().getByRole('heading', { level: 1, name: title }).isVisible()).toBe(true);
      expect(await url.inputValue()).toBe('javascript:alert(1)');
    };
    answer = 'dismiss';
    await staysAfterAsking(() => back().click());
    await staysAfterAsking(() =>
      page().getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Subscribers' }).click(),
    );
    await staysAfterAsking(() => page().evaluate(() => history.back()));
    // Nothing moves later: the undone back left the history as it was, the list one step back.
    await page().waitForTimeout(300);
    expect(new URL(page().url()).pathname).toBe(composerPath(id));

    // Told to go, it goes: by the browser's back (and forward comes back to what was saved)…
    answer = 'accept';
    const leaves = async (leave: () => Promise<unknown>, to: string) => {
      const asked = questions.length;
      await leave();
      await page().getByRole('heading', { level: 1, name: to }).waitFor();
      expect(questions).toHaveLength(asked + 1);
      expect((await stored(id)).blocks[CTA]).toMatchObject({ button: { href: CTA_HREF } });
    };
    await leaves(() => page().evaluate(() => history.back()), 'Bulletins');
    expect(new URL(page().url()).pathname).toBe('/admin/bulletins');
    await page().evaluate(() => history.forward());
    await page().getByRole('heading', { level: 1, name: title }).waitFor();
    expect(await url.inputValue()).toBe(CTA_HREF);
    // …and by the navigation.
    await url.fill('javascript:alert(2)');
    await expect.poll(statusText, { timeout: 10_000 }).toBe('Not saved: a field needs fixing');
    await leaves(
      () => page().getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Subscribers' }).click(),
      'Subscribers',
    );
    answer = 'dismiss';
  });

  it('saves changes still to be saved before leaving, without asking, and the bulletin reopens with them', async () => {
    const id = await openCopy('Changes on their way');
    const asked = questions.length;
    // The save takes its time: leaving has to wait for it.
    const path = composerPath(id).replace('/admin', '/api');
    await page().route(`**${path}`, async (route) => {
      if (route.request().method() === 'PUT') await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue();
    });
    const subject = 'Changed just before leaving';
    await field(region('Bulletin'), 'Subject (English)').fill(subject);
    await back().click();
    await page().getByRole('heading', { level: 1, name: 'Bulletins' }).waitFor();
    expect((await stored(id)).subject.en).toBe(subject);
    expect(questions).toHaveLength(asked);
    await page().unroute(`**${path}`);

    await page().getByRole('link', { name: 'Changes on their way', exact: true }).click();
    await page().getByRole('heading', { level: 1, name: 'Changes on their way' }).waitFor();
    expect(await field(region('Bulletin'), 'Subject (English)').inputValue()).toBe(subject);
    expect(b.consoleErrors).toEqual([]);
  });
});

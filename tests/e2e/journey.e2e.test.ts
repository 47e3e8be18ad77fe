// A staff member's week in Chromium, from sign-in to sign-out: the example bulletin composed from
// an empty one through the UI (every block type, English and Spanish), a check that fails and is
// fixed from the checks panel, a refused save, reordering by keyboard, undo, versions, preview, a
// test send found in the SES emulator, the audience and its counts, the send watched to 100%, the
// report. (send.e2e and admin.e2e go deeper into the send and admin screens.)
import { readFileSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressValue, Block, BulletinDocument, HashtagsValue } from '../../src/bulletins/document.js';
import { EXAMPLE_FILE } from '../../src/bulletins/example.js';
import { importAudience } from '../helpers/campaigns.js';
import { field, fillRichText, removeStaffAppBuild, selectText, startBrowserApp, type BrowserApp } from './harness.js';

const EXAMPLE: BulletinDocument = JSON.parse(readFileSync(EXAMPLE_FILE, 'utf8'));
const ALT = {
  en: 'A map of the border with the services marked on it',
  es: 'Un mapa de la frontera con los servicios señalados',
};
/** The one block type the example lacks, composed last and moved above the survey. */
const IMAGE: Extract<Block, { type: 'image' }> = {
  type: 'image',
  src: 'https://nnirr.org/images/border-communities-map.png',
  alt: ALT,
  href: 'https://nnirr.org/border-survey',
};
const FIRST = EXAMPLE.blocks[0] as Extract<Block, { type: 'announcement' }>;
const HEADING = FIRST.heading as typeof ALT;
const SURVEY_INDEX = EXAMPLE.blocks.findIndex((block) => block.type === 'survey');
const EXPECTED: BulletinDocument = {
  ...EXAMPLE,
  blocks: [...EXAMPLE.blocks.slice(0, SURVEY_INDEX), IMAGE, ...EXAMPLE.blocks.slice(SURVEY_INDEX)],
};
const TOPIC = { key: EXAMPLE.topic!, name: { en: 'Weekly bulletin', es: 'Boletín semanal' } };

const LANGUAGE: Record<string, string> = { en: 'English', es: 'Spanish' };
const BLOCK_LABEL: Record<Block['type'], string> = {
  announcement: 'Announcement',
  statement: 'Statement',
  call_to_action: 'Call to action',
  survey: 'Survey',
  text: 'Text',
  image: 'Image',
  divider: 'Divider',
};

describe('a staff member composes, checks, tests, sends and reads the report', () => {
  let b: BrowserApp;
  let id: number;

  beforeAll(async () => {
    b = await startBrowserApp('journey');
    expect((await b.app.request('POST', '/api/topics', { json: TOPIC })).status).toBe(201);
    expect(
      (await b.app.request('PUT', '/api/settings', { json: { postalAddress: '310 8th Street, Oakland, CA 94607' } }))
        .status,
    ).toBe(200);
    // Six readers (two in Spanish) and one who left.
    await importAudience(b.app, 7, 'reader', 'journey.org');
    const left = (await (await b.app.request('GET', '/api/subscribers?email=reader6@journey.org')).json()).data[0];
    await b.app.request('PATCH', `/api/subscribers/${left.id}`, { json: { status: 'unsubscribed' } });
    await b.signIn();
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  const page = () => b.page;
  const blockRegion = (n: number, type: Block['type']) => region(`Block ${n}: ${BLOCK_LABEL[type]}`);
  const region = (name: string) => b.region(name);
  const statusText = () => b.saveStatus();
  const saved = () => b.saved();
  const stored = async () =>
    (await (await b.app.request('GET', `/api/bulletins/${id}`)).json()).document as BulletinDocument;
  const sendButton = () => page().getByRole('button', { name: 'Send…', exact: true });

  async function fillTexts(scope: Locator, label: string, text: Record<string, string> | undefined) {
    for (const [language, value] of Object.entries(text ?? {})) {
      const control = field(scope, `${label} (${LANGUAGE[language]})`);
      // Bodies and quotes are rich text fields, given their Markdown as the HTML it renders to.
      if (['Body', 'Quote'].includes(label)) await fillRichText(control, value);
      else await control.fill(value);
    }
  }

  /** An address for every language, or each language its own ("Give each language its own address"). */
  async function fillAddress(scope: Locator, label: string, value: AddressValue | undefined, noun = 'address') {
    if (typeof value !== 'object') return field(scope, label).fill(value ?? '');
    await scope.getByRole('button', { name: `${label}: give each language its own ${noun}` }).click();
    await fillTexts(scope, label, value);
  }

  async function fillHashtags(scope: Locator, value: HashtagsValue | undefined) {
    if (Array.isArray(value) || !value) return field(scope, 'Hashtags').fill((value ?? []).join(' '));
    await scope.getByRole('button', { name: 'Hashtags: give each language its own hashtags' }).click();
    for (const [language, tags] of Object.entries(value))
      await field(scope, `Hashtags (${LANGUAGE[language]})`).fill(tags.join(' '));
  }

  async function fillLink(
    scope: Locator,
    name: 'link' | 'button',
    link: { href: AddressValue; label: Record<string, string> } | undefined,
    optional = true,
  ) {
    if (!link) return;
    if (optional) await scope.getByRole('button', { name: `Add ${name}`, exact: true }).click();
    const part = name === 'link' ? 'Link' : 'Button';
    await fillAddress(scope, `${part} URL`, link.href);
    await fillTexts(scope, `${part} text`, link.label);
  }

  /** Adds a block from the palette as block `n` and types its fields. */
  async function compose(n: number, block: Block) {
    await region('Add a block')
      .getByRole('button', { name: `New ${BLOCK_LABEL[block.type]} block` })
      .click();
    const scope = blockRegion(n, block.type);
    switch (block.type) {
      case 'announcement':
        await fillTexts(scope, 'Heading', block.heading);
        await fillTexts(scope, 'Body', block.body);
        await fillLink(scope, 'link', block.link);
        break;
      case 'statement':
        await fillTexts(scope, 'Heading', block.heading);
        await fillTexts(scope, 'Quote', block.quote);
        await field(scope, 'Speaker').fill(block.speaker);
        await fillTexts(scope, "Speaker's role", block.role);
        await fillLink(scope, 'link', block.link);
        break;
      case 'call_to_action':
        await fillTexts(scope, 'Heading', block.heading);
        await fillTexts(scope, 'Body', block.body);
        await fillLink(scope, 'button', block.button, false);
        if (block.goal) {
          await scope.getByRole('button', { name: 'Add goal', exact: true }).click();
          await field(scope, 'Goal target').fill(String(block.goal.target));
          await field(scope, 'Goal so far').fill(String(block.goal.current));
          await fillTexts(scope, 'Goal unit', block.goal.unit);
        }
        break;
      case 'survey':
        await fillTexts(scope, 'Heading', block.heading);
        await fillTexts(scope, 'Body', block.body);
        for (const [i, item] of (block.items ?? []).entries()) {
          await scope.getByRole('button', { name: 'Add item', exact: true }).click();
          await fillTexts(scope, `Item ${i + 1}`, item);
        }
        await field(scope, 'Contact email').fill(block.contact ?? '');
        await fillHashtags(scope, block.hashtags);
        await fillLink(scope, 'button', block.button);
        break;
      case 'text':
        await fillTexts(scope, 'Body', block.body);
        break;
      case 'image':
        await fillAddress(scope, 'Image URL', block.src, 'image');
        await fillTexts(scope, 'Alt text', block.alt);
        await fillAddress(scope, 'Link URL', block.href);
        break;
      case 'divider':
        break;
    }
  }

  it('starts a bulletin from the list; composes the example with every block type in English and Spanish', async () => {
    await b.open('/admin/bulletins');
    await page().getByText('No bulletins yet').waitFor();
    await page().getByRole('button', { name: 'New bulletin' }).click();
    await page().getByRole('heading', { level: 1, name: 'Untitled bulletin' }).waitFor();
    id = Number(new URL(page().url()).pathname.split('/').at(-1));

    const bulletin = region('Bulletin');
    await field(bulletin, 'Title').fill(EXAMPLE.title);
    await field(bulletin, 'Topic').selectOption(TOPIC.key);
    await fillTexts(bulletin, 'Subject', EXAMPLE.subject);
    await fillTexts(bulletin, 'Preheader', EXAMPLE.preheader);
    await fillTexts(bulletin, 'Issue line', EXAMPLE.issueLine);
    for (const [i, block] of EXAMPLE.blocks.entries()) await compose(i + 1, block);

    await saved();
    expect(await stored()).toEqual(EXAMPLE);
    await page().getByRole('heading', { level: 1, name: EXAMPLE.title }).waitFor();
    // Types the whole example, every block in two languages: 14 s alone, past 30 s on a loaded machine.
  }, 90_000);

  it('formats the selected words of a body from the toolbar and the keyboard, with the field’s own undo', async () => {
    const scope = blockRegion(4, 'text');
    const body = field(scope, 'Body (English)');
    const bold = scope
      .getByRole('toolbar', { name: 'Formatting Body (English)' })
      .getByRole('button', { name: 'Bold' });
    const words = 'Latin American Bloc on Migration';
    const markdown = async () => ((await stored()).blocks[3] as Extract<Block, { type: 'text' }>).body.en;
    const before = await markdown();
    const plain = before!.replace(`**${words}**`, words);

    await selectText(body, words);
    expect(await bold.getAttribute('aria-pressed')).toBe('true');
    await bold.click();
    expect(await bold.getAttribute('aria-pressed')).toBe('false');
    await saved();
    expect(await markdown()).toBe(plain);
    await page().keyboard.press('Control+z');
    expect(await bold.getAttribute('aria-pressed')).toBe('true');
    await saved();
    expect(await markdown()).toBe(before);
    await selectText(body, words);
    await page().keyboard.press('Control+b');
    await saved();
    expect(await markdown()).toBe(plain);
    await page().keyboard.press('Control+b');
    await saved();
    expect(await stored()).toEqual(EXAMPLE);
  });

  it('blocks the send while an image has no English alt text, goes to that field from the checks panel', async () => {
    const n = EXAMPLE.blocks.length + 1;
    await compose(n, { ...IMAGE, alt: { es: ALT.es } });
    await saved();
    const finding = region('Checks').getByRole('button', { name: `Block ${n} (Image) · Alt text (English)` });
    await finding.waitFor();
    expect(await sendButton().isDisabled()).toBe(true);
    expect(await page().getByText('To send: fix the error in Checks.').isVisible()).toBe(true);
    await b.screenshot('check-failed');
    await b.expectAccessible('composer with a failed check');

    await finding.click();
    await expect.poll(() => page().evaluate(() => document.activeElement?.id)).toBe(`block-${n - 1}-alt-en`);
    await page().keyboard.type(ALT.en);
    await saved();
    // The Spanish was written along with the English: marked ready, the send no longer warns of it.
    await region('Checks').getByRole('checkbox', { name: 'Spanish ready' }).check();
    await region('Checks').getByText('Nothing to fix.').waitFor();
    await expect.poll(() => sendButton().isEnabled()).toBe(true);
    expect(await page().getByText('Ready to send.').isVisible()).toBe(true);
  });

  it('moves a block by keyboard drag and with Move up / Move down', async () => {
    const n = EXAMPLE.blocks.length + 1;
    await page()
      .getByRole('button', { name: `Reorder block ${n}` })
      .focus();
    // Each key waits for what the drag announces, not for a fixed time: a busy machine is slow.
    // The live region holds the latest announcement only: once picked up, the block is over its
    // own place, which also says the drag has measured the blocks and can move. The drop shows
    // in the list itself.
    const announced = (text: string) => page().getByText(text, { exact: true }).waitFor({ state: 'attached' });
    await page().keyboard.press('Space');
    await announced(`Block ${n} is over position ${n}.`);
    await page().keyboard.press('ArrowUp');
    await announced(`Block ${n} is over position ${n - 1}.`);
    await page().keyboard.press('Space');
    await blockRegion(n - 1, 'image').waitFor();
    await blockRegion(n, 'survey').waitFor();

    await blockRegion(n - 1, 'image')
      .getByRole('button', { name: 'Move up' })
      .click();
    await blockRegion(n - 2, 'image').waitFor();
    await blockRegion(n - 2, 'image')
      .getByRole('button', { name: 'Move down' })
      .click();
    await blockRegion(n - 1, 'image').waitFor();
    await saved();
    expect(await stored()).toEqual(EXPECTED);
  });

  it('removes a block and brings it back with Ctrl+Z outside a text field', async () => {
    const count = () => page().locator('.blocks > li').count();
    await blockRegion(2, 'divider').getByRole('button', { name: 'Remove' }).click();
    expect(await count()).toBe(EXPECTED.blocks.length - 1);
    await page().getByRole('status').getByText('Block 2 (Divider) removed.').waitFor();
    await page().keyboard.press('Control+z');
    expect(await count()).toBe(EXPECTED.blocks.length);
    await blockRegion(2, 'divider').waitFor();
    await saved();
    expect(await stored()).toEqual(EXPECTED);
  });

  it('says what was undone with the language’s name as it is written', async () => {
    await page().getByRole('button', { name: 'Make Spanish the fallback' }).click();
    await saved();
    expect((await stored()).languages).toEqual(['es', 'en']);
    await page()
      .getByRole('button', { name: /^Undo\s*: make Spanish the fallback$/ })
      .click();
    await page().getByRole('status').getByText('Undone: make Spanish the fallback.', { exact: true }).waitFor();
    await saved();
    expect(await stored()).toEqual(EXPECTED);
  });

  it('keeps a change the server refuses, shows why next to the field, and saves once it is fixed', async () => {
    const cta = EXPECTED.blocks.findIndex((block) => block.type === 'call_to_action');
    const { href } = (EXPECTED.blocks[cta] as Extract<Block, { type: 'call_to_action' }>).button;
    const url = field(blockRegion(cta + 1, 'call_to_action'), 'Button URL');
    // A draft saves half-written; an address whose scheme runs script never does.
    await url.fill('javascript:alert(1)');
    await expect.poll(statusText, { timeout: 10_000 }).toBe('Not saved: a field needs fixing');
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect(
      await blockRegion(cta + 1, 'call_to_action')
        .getByText('must be an https URL')
        .isVisible(),
    ).toBe(true);
    await b.screenshot('save-refused');
    expect(await stored()).toEqual(EXPECTED);

    await url.fill(href as string);
    await saved();
    expect(await url.getAttribute('aria-invalid')).toBeNull();
    expect(await stored()).toEqual(EXPECTED);
  });

  it('previews the saved version in each language, at mobile width and as plain text', async () => {
    const preview = region('Preview');
    await page().frameLocator('iframe[title="Preview: English, desktop width"]').getByText(HEADING.en).waitFor();
    await preview.getByRole('radio', { name: 'Spanish' }).check();
    await preview.getByRole('radio', { name: 'Mobile' }).check();
    const frame = page().locator('iframe[title="Preview: Spanish, mobile width"]');
    await frame.contentFrame().getByText(HEADING.es).waitFor();
    expect((await frame.boundingBox())!.width).toBe(375);
    const image = frame.contentFrame().getByRole('img', { name: ALT.es });
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.getAttribute('src'))).toBe(IMAGE.src);
    await b.screenshot('preview-mobile');

    await preview.getByRole('radio', { name: 'Plain text' }).check();
    const text = preview.getByLabel('Plain text in Spanish');
    await expect.poll(() => text.innerText()).toContain(`${FIRST.link!.label.es}: ${FIRST.link!.href}`);
  });

  it('sends a test in every language to the addresses given and remembers them', async () => {
    await page().getByRole('button', { name: 'Send a test…' }).click();
    const dialog = page().getByRole('dialog', { name: 'Send a test' });
    const addresses = field(dialog, 'Test addresses');
    expect(await addresses.inputValue()).toBe('journey-admin@example.org');
    await addresses.fill('ana@example.org\nluis@example.org');
    const language = field(dialog, 'Language');
    expect(await language.locator('option:checked').innerText()).toBe('All languages');
    await b.expectAccessible('test send dialog');
    await dialog.getByRole('button', { name: 'Send test' }).click();
    await dialog.getByText('Sent 4 copies (EN, ES) to ana@example.org, luis@example.org.').waitFor();
    await b.screenshot('test-sent');
    const copies = (await b.mails()).filter((mail) => mail.subject.startsWith('[TEST '));
    expect(
      copies
        .flatMap((mail) =>
          mail.destination.to.map((to) => [mail.subject, to, /<html[^>]* lang="([^"]+)"/.exec(mail.body.html!)?.[1]]),
        )
        .sort(),
    ).toEqual([
      [`[TEST EN] ${EXAMPLE.subject.en}`, 'ana@example.org', 'en'],
      [`[TEST EN] ${EXAMPLE.subject.en}`, 'luis@example.org', 'en'],
      [`[TEST ES] ${EXAMPLE.subject.es}`, 'ana@example.org', 'es'],
      [`[TEST ES] ${EXAMPLE.subject.es}`, 'luis@example.org', 'es'],
    ]);
    // In development the mail went to the local emulator, and the dialog says where to read it: a new tab.
    const viewer = dialog.getByRole('link', { name: 'read it in the mail viewer' });
    expect(await viewer.getAttribute('target')).toBe('_blank');
    const [tab] = await Promise.all([page().context().waitForEvent('page'), viewer.click()]);
    await tab
      .getByRole('link', { name: `[TEST ES] ${EXAMPLE.subject.es}` })
      .first()
      .waitFor();
    expect(new URL(tab.url()).pathname).toBe('/admin/mail');
    await tab.close();
    await dialog.getByRole('button', { name: 'Done' }).click();

    await page().reload();
    await page().getByRole('button', { name: 'Send a test…' }).click();
    expect(await field(page().getByRole('dialog', { name: 'Send a test' }), 'Test addresses').inputValue()).toBe(
      'ana@example.org\nluis@example.org',
    );
    await page().keyboard.press('Escape');
  });

  it('restores the empty first version from the history, and undoes that', async () => {
    await page().getByRole('button', { name: 'Versions' }).click();
    const dialog = page().getByRole('dialog', { name: 'Versions' });
    // All of this sitting's saves are one session: its versions show when it is opened.
    await dialog.getByRole('button', { name: /^Show its \d+ versions$/ }).click();
    await dialog.getByRole('button', { name: 'Restore version 1', exact: true }).click();
    await page().getByRole('heading', { level: 1, name: 'Untitled bulletin' }).waitFor();
    await page().getByText('No blocks yet').waitFor();
    await saved();
    expect((await stored()).blocks).toEqual([]);

    await page().getByRole('button', { name: /^Undo/ }).first().click();
    await page().getByRole('heading', { level: 1, name: EXAMPLE.title }).waitFor();
    await saved();
    expect(await stored()).toEqual(EXPECTED);
    await b.screenshot('composer');
    await b.expectAccessible('composer');
  });

  it('lists the bulletin with its state and numbers, duplicates it, deletes the draft copy after asking', async () => {
    await page().getByRole('link', { name: '← Bulletins' }).click();
    const row = page()
      .getByRole('row')
      .filter({ has: page().getByRole('link', { name: EXAMPLE.title, exact: true }) });
    await row.waitFor();
    expect(await row.innerText()).toMatch(
      new RegExp(`draft[\\s\\S]*English, Spanish\\s+${EXPECTED.blocks.length}\\s+Not sent`),
    );
    await b.screenshot('list');
    await b.expectAccessible('bulletins list');

    await row.getByRole('button', { name: 'Duplicate' }).click();
    const copy = `${EXAMPLE.title} (copy)`;
    await page().getByRole('heading', { level: 1, name: copy }).waitFor();
    await page().getByRole('link', { name: '← Bulletins' }).click();
    const copyRow = page()
      .getByRole('row')
      .filter({ has: page().getByRole('link', { name: copy, exact: true }) });
    await copyRow.getByRole('button', { name: 'Delete' }).click();
    await page()
      .getByRole('dialog', { name: 'Delete this draft?' })
      .getByRole('button', { name: 'Delete draft' })
      .click();
    await copyRow.waitFor({ state: 'detached' });
    await row.waitFor();
  });

  it('picks the audience, sees who it reaches, sends after confirming and watches the send reach 100%', async () => {
    await page().getByRole('link', { name: EXAMPLE.title, exact: true }).click();
    await sendButton().click();
    await page().waitForURL(new RegExp(`/admin/bulletins/${id}/send$`));
    await page().getByRole('radio', { name: 'Topics' }).check();
    await page().getByRole('group', { name: 'Topics' }).getByLabel(TOPIC.name.en).check();
    const counts = region('Who gets it');
    await counts.getByRole('status').filter({ hasText: '6 subscribers eligible of 7 selected.' }).waitFor();
    await expect
      .poll(() => counts.getByRole('listitem').allInnerTexts())
      .toEqual(expect.arrayContaining(['1 unsubscribed: they left']));
    expect(await counts.getByRole('row', { name: /English/ }).innerText()).toMatch(/4/);
    expect(await counts.getByRole('row', { name: /Spanish/ }).innerText()).toMatch(/2/);
    await b.screenshot('audience');
    await b.expectAccessible('audience');

    await page().getByRole('button', { name: 'Review and send…' }).click();
    const dialog = page().getByRole('dialog', { name: 'Send this bulletin?' });
    await dialog.getByText('Send to 6 subscribers: 4 in English, 2 in Spanish.').waitFor();
    await dialog.getByRole('button', { name: 'Send now' }).click();

    await page().waitForURL(/\/admin\/campaigns\/\d+$/);
    const progress = page().getByRole('progressbar', { name: 'Messages settled' });
    await expect.poll(() => progress.getAttribute('aria-valuenow'), { timeout: 60_000 }).toBe('100');
    await page().getByText('100% · 6 of 6 messages settled').waitFor();
    const mails = (await b.mails()).filter((mail) => mail.destination.to[0]!.endsWith('@journey.org'));
    expect(mails.map((mail) => mail.subject).sort()).toEqual(
      [...Array(4).fill(EXAMPLE.subject.en), ...Array(2).fill(EXAMPLE.subject.es)].sort(),
    );
  });

  it('opens the report, then signs out', async () => {
    const report = region('Report');
    await report.getByRole('row', { name: /^Sent 6 100%$/ }).waitFor();
    await report.locator('canvas[role="img"]').first().waitFor();
    await b.screenshot('report');
    await b.expectAccessible('report');

    await page().getByRole('button', { name: 'Sign out' }).click();
    await page().getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect((await page().request.get('/api/session')).status()).toBe(401);
    expect(b.consoleErrors).toEqual([]);
  });
});

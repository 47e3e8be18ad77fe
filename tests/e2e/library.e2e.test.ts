// The block library and templates in Chromium: a block saved to the library from one bulletin and
// inserted into another (a copy, with a note of where it came from), a bulletin saved as a template
// and a new bulletin started from it, and the Library screen (rename, delete, axe, 1440 and 390 px).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block, BulletinDocument } from '../../src/bulletins/document.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

const ANA = 'ana@example.org';
const EXAMPLE = exampleBulletin();
const CTA_INDEX = EXAMPLE.blocks.findIndex((block) => block.type === 'call_to_action');
const CTA = EXAMPLE.blocks[CTA_INDEX]!;
/** The other bulletin: English only, one text block. */
const OTHER: BulletinDocument = {
  version: 1,
  title: 'Members’ news',
  languages: ['en'],
  subject: { en: 'Members’ news' },
  blocks: [{ type: 'text', body: { en: 'Welcome to the members’ news.' } }],
};

describe('the block library and templates in the staff app', () => {
  let b: BrowserApp;
  let example: number;
  let other: number;

  const page = () => b.page;
  const dialog = () => page().getByRole('dialog');
  const document = async (id: number) =>
    (await (await b.app.request('GET', `/api/bulletins/${id}`)).json()).document as BulletinDocument;
  const announced = () => page().locator('.composer-announce [role="status"]');

  beforeAll(async () => {
    b = await startBrowserApp('library');
    const create = async (doc: BulletinDocument) =>
      (await (await b.app.request('POST', '/api/bulletins', { json: doc })).json()).id as number;
    example = await create(EXAMPLE);
    other = await create(OTHER);
    await b.signIn(ANA, 'editor');
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  it('saves a block to the library from one bulletin, and the bulletin as a template', async () => {
    await b.open(`/admin/bulletins/${example}`);
    await b
      .region(`Block ${CTA_INDEX + 1}: Call to action`)
      .getByRole('button', { name: 'Save to library' })
      .click();
    await expect
      .poll(() => dialog().getByRole('heading').innerText())
      .toBe(`Save block ${CTA_INDEX + 1} to the library`);
    await dialog().getByLabel('Name in the library').fill('Petition 62,500');
    await dialog().getByRole('button', { name: 'Save to library' }).click();
    await expect
      .poll(() => announced().innerText())
      .toBe(`Block ${CTA_INDEX + 1} saved to the library as “Petition 62,500”.`);

    await page().getByRole('button', { name: 'Save as template' }).click();
    // An empty name is refused by the server, which names the field beside it.
    await dialog().getByLabel('Name in the library').fill(' ');
    await dialog().getByRole('button', { name: 'Save template' }).click();
    await expect.poll(() => dialog().locator('.field-error').innerText()).toBe('must not be empty');
    await dialog().getByLabel('Name in the library').fill('Weekly bulletin');
    await dialog().getByRole('button', { name: 'Save template' }).click();
    await expect.poll(() => announced().innerText()).toBe('This bulletin saved as the template “Weekly bulletin”.');

    const blocks = (await (await b.app.request('GET', '/api/blocks')).json()).data;
    expect(blocks).toEqual([
      expect.objectContaining({ name: 'Petition 62,500', block: CTA, createdBy: { kind: 'staff', name: ANA } }),
    ]);
    const templates = (await (await b.app.request('GET', '/api/templates')).json()).data;
    expect(templates).toEqual([expect.objectContaining({ name: 'Weekly bulletin', blocks: EXAMPLE.blocks.length })]);
  });

  it('inserts a copy into another bulletin, with a note of where it came from, fitted to its languages', async () => {
    await b.open(`/admin/bulletins/${other}`);
    await b.region('Add a block').getByRole('button', { name: 'From the library' }).click();
    await dialog().getByRole('button', { name: 'Insert “Petition 62,500”' }).waitFor();
    await b.expectAccessible('the Insert from the library dialog');
    await b.screenshot('insert-dialog-1440');
    await dialog().getByRole('button', { name: 'Insert “Petition 62,500”' }).click();
    const inserted = b.region('Block 2: Call to action');
    await expect
      .poll(() => inserted.locator('.block-origin').innerText())
      .toMatch(/^From the library: Petition 62,500, saved [A-Z][a-z]{2} \d{1,2} by ana@example\.org$/);
    await b.saved();
    await b.screenshot('inserted-1440');
    await page().setViewportSize({ width: 390, height: 844 });
    await b.screenshot('inserted-390');
    await page().setViewportSize({ width: 1440, height: 900 });

    const stored = (await document(other)).blocks[1] as Extract<Block, { type: 'call_to_action' }>;
    const cta = CTA as Extract<Block, { type: 'call_to_action' }>;
    // The bulletin is in English only: the Spanish texts stay behind.
    expect(stored).toEqual({
      ...cta,
      heading: { en: cta.heading.en },
      body: { en: cta.body.en },
      button: { ...cta.button, label: { en: cta.button.label.en } },
      ...(cta.goal?.unit ? { goal: { ...cta.goal, unit: { en: cta.goal.unit.en } } } : {}),
    });

    // The note is the composer's: the document holds a plain block, and a changed library block leaves it be.
    const [saved] = (await (await b.app.request('GET', '/api/blocks')).json()).data;
    const raised = { ...cta, goal: { ...cta.goal!, current: 70_000 } };
    expect((await b.app.request('PATCH', `/api/blocks/${saved.id}`, { json: { block: raised } })).status).toBe(200);
    expect((await document(other)).blocks[1]).toEqual(stored);
  });

  it('starts a new bulletin from a template', async () => {
    await b.open('/admin/bulletins');
    await page().getByRole('button', { name: 'New from template…' }).click();
    await dialog().getByRole('button', { name: 'Start from “Weekly bulletin”' }).waitFor();
    await b.expectAccessible('the New from template dialog');
    await dialog().getByRole('button', { name: 'Start from “Weekly bulletin”' }).click();
    await page().waitForURL(/\/admin\/bulletins\/\d+$/);
    const id = Number(new URL(page().url()).pathname.split('/').at(-1));
    expect([example, other]).not.toContain(id);
    await page().getByRole('heading', { level: 1, name: EXAMPLE.title }).waitFor();
    expect(await document(id)).toEqual(EXAMPLE);
  });

  it('lists, renames and deletes in the Library screen, accessible at 1440 and 390 px', async () => {
    await b.open('/admin/bulletins');
    await page().getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
    await page().getByRole('heading', { level: 1, name: 'Library' }).waitFor();
    const blocks = page().getByRole('table', { name: 'Blocks in the library, by name' });
    const templates = page().getByRole('table', { name: 'Bulletin templates, by name' });
    await expect.poll(() => blocks.getByRole('row').nth(1).innerText()).toContain('Petition 62,500');
    expect(await blocks.getByRole('row').nth(1).innerText()).toContain('by ana@example.org');
    expect(await templates.getByRole('row').nth(1).innerText()).toContain('Weekly bulletin');
    await b.expectAccessible('the Library screen');
    await b.screenshot('screen-1440');
    await page().setViewportSize({ width: 390, height: 844 });
    await b.expectAccessible('the Library screen at 390 px');
    await b.screenshot('screen-390');
    await page().setViewportSize({ width: 1440, height: 900 });

    await blocks.getByRole('button', { name: 'Rename “Petition 62,500”' }).click();
    await dialog().getByLabel('Name in the library').fill('Petition 70,000');
    await dialog().getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => blocks.getByRole('row').nth(1).innerText()).toContain('Petition 70,000');

    await templates.getByRole('button', { name: 'Delete “Weekly bulletin”' }).click();
    await dialog().getByRole('button', { name: 'Delete' }).click();
    await page().getByText('No templates yet.').waitFor();
    expect((await (await b.app.request('GET', '/api/templates')).json()).data).toEqual([]);

    expect(b.consoleErrors).toEqual([]);
  });
});

// A Spanish reader who clicks "Firma la petición" lands on the Spanish petition page: in the composer
// a button's address is the same for every language until staff give each language its own, side
// by side like the texts, and back. The checks then name the links still leading to English pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block, BulletinDocument } from '../../src/bulletins/document.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { sendableBulletin } from '../helpers/campaigns.js';
import { join } from 'node:path';
import { ARTIFACTS, field, removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

const EXAMPLE = exampleBulletin();
const CTA = EXAMPLE.blocks.findIndex((block) => block.type === 'call_to_action');
const CTA_HREF = (EXAMPLE.blocks[CTA] as Extract<Block, { type: 'call_to_action' }>).button.href as string;
const SPANISH_PETITION = 'https://nnirr.org/es/peticion-refugiados';
const SURVEY = EXAMPLE.blocks.findIndex((block) => block.type === 'survey');

describe('per-language links in the composer', () => {
  let b: BrowserApp;
  let id: number;

  beforeAll(async () => {
    b = await startBrowserApp('localised-links');
    await sendableBulletin(b.app);
    await b.signIn();
    const res = await b.app.request('POST', '/api/bulletins', { json: { ...EXAMPLE, title: 'Petition in Spanish' } });
    ({ id } = await res.json());
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  const page = () => b.page;
  const cta = () => b.region(`Block ${CTA + 1}: Call to action`);
  const stored = async () =>
    (await (await b.app.request('GET', `/api/bulletins/${id}`)).json()).document as BulletinDocument;
  const storedHref = async () =>
    (stored().then((doc) => doc.blocks[CTA]) as Promise<Extract<Block, { type: 'call_to_action' }>>).then(
      (block) => block.button.href,
    );

  it('gives the button a Spanish address of its own, saved and sent to Spanish readers only', async () => {
    await b.open(`/admin/bulletins/${id}`);
    await page().getByRole('heading', { level: 1, name: 'Petition in Spanish' }).waitFor();
    const shared = field(cta(), 'Button URL');
    expect(await shared.inputValue()).toBe(CTA_HREF);
    expect(await cta().getByText('Same address for every language.').isVisible()).toBe(true);
    await cta().scrollIntoViewIfNeeded();
    await cta().screenshot({ path: join(ARTIFACTS, 'localised-links-block-shared.png') });

    await cta().getByRole('button', { name: 'Button URL: give each language its own address' }).click();
    const english = field(cta(), 'Button URL (English)');
    const spanish = field(cta(), 'Button URL (Spanish)');
    expect(await english.inputValue()).toBe(CTA_HREF);
    expect(await spanish.inputValue()).toBe('');
    // Left empty, Spanish readers get the English address: the field says so.
    expect(await spanish.getAttribute('placeholder')).toBe(CTA_HREF);
    expect(await spanish.getAttribute('lang')).toBe('es');
    expect(await spanish.getAttribute('dir')).toBe('ltr');

    await spanish.fill(SPANISH_PETITION);
    await b.saved();
    expect(await storedHref()).toEqual({ en: CTA_HREF, es: SPANISH_PETITION });

    const preview = async (language: string) =>
      (await b.app.request('GET', `/api/bulletins/${id}/preview?lang=${language}&format=html`)).text();
    expect(await preview('es')).toContain(`href="${SPANISH_PETITION}"`);
    expect(await preview('en')).not.toContain(SPANISH_PETITION);

    // The example's other links still lead Spanish readers to English pages: the checks say which.
    const checks = b.region('Checks');
    await checks
      .getByText('Spanish readers get the English address while other links in the bulletin are localised')
      .first()
      .waitFor();
    await cta().scrollIntoViewIfNeeded();
    await b.screenshot('button-url-per-language');
    await cta().screenshot({ path: join(ARTIFACTS, 'localised-links-block.png') });
    await b.expectAccessible('composer with a per-language button URL');

    await page().setViewportSize({ width: 390, height: 844 });
    await cta().scrollIntoViewIfNeeded();
    await b.screenshot('button-url-per-language-phone');
    await cta().screenshot({ path: join(ARTIFACTS, 'localised-links-block-phone.png') });
    await page().setViewportSize({ width: 1440, height: 900 });
  });

  it("gives the survey's hashtags a Spanish list of their own", async () => {
    const survey = b.region(`Block ${SURVEY + 1}: Survey`);
    const before = (EXAMPLE.blocks[SURVEY] as Extract<Block, { type: 'survey' }>).hashtags as string[];
    await survey.getByRole('button', { name: 'Hashtags: give each language its own hashtags' }).click();
    expect(await field(survey, 'Hashtags (English)').inputValue()).toBe(before.join(' '));
    const spanish = field(survey, 'Hashtags (Spanish)');
    expect(await spanish.getAttribute('placeholder')).toBe(before.join(' '));
    await spanish.fill('NuestraFrontera #EncuestaFronteriza');
    await b.saved();
    const stored = (await (await b.app.request('GET', `/api/bulletins/${id}`)).json()).document as BulletinDocument;
    expect((stored.blocks[SURVEY] as Extract<Block, { type: 'survey' }>).hashtags).toEqual({
      en: before,
      es: ['#NuestraFrontera', '#EncuestaFronteriza'],
    });
    await survey.scrollIntoViewIfNeeded();
    await survey.screenshot({ path: join(ARTIFACTS, 'localised-links-hashtags.png') });
  });

  it('keeps the Spanish address on reload and goes back to one address for every language', async () => {
    await page().reload();
    await page().getByRole('heading', { level: 1, name: 'Petition in Spanish' }).waitFor();
    expect(await field(cta(), 'Button URL (Spanish)').inputValue()).toBe(SPANISH_PETITION);

    await cta().getByRole('button', { name: 'Button URL: same address for every language' }).click();
    expect(await field(cta(), 'Button URL').inputValue()).toBe(CTA_HREF);
    await b.saved();
    expect(await storedHref()).toBe(CTA_HREF);
  });

  it('removes Spanish from the addresses and hashtags given per language, with its texts', async () => {
    await page().getByRole('button', { name: 'Remove Spanish', exact: true }).click();
    await page().getByRole('dialog').getByRole('button', { name: 'Remove Spanish', exact: true }).click();
    await b.saved();
    const doc = await stored();
    expect(doc.languages).toEqual(['en']);
    expect((doc.blocks[SURVEY] as Extract<Block, { type: 'survey' }>).hashtags).toEqual({
      en: (EXAMPLE.blocks[SURVEY] as Extract<Block, { type: 'survey' }>).hashtags,
    });
  });
});

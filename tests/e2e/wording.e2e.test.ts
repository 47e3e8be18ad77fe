// The Wording settings in real Chromium: an admin replaces a Spanish default, sees it on the
// public page, and resets it; on a computer's and on a phone's width.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ARTIFACTS, field, removeStaffAppBuild, startBrowserApp, type BrowserApp } from './harness.js';

describe('the wording settings', () => {
  let b: BrowserApp;
  beforeAll(async () => {
    b = await startBrowserApp('wording');
    await b.signIn('admin@example.org');
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    removeStaffAppBuild();
  });

  const wording = async () => (await (await b.app.request('GET', '/api/settings')).json()).wording;

  it('replaces a Spanish default, shows it on the public page, and resets it', async () => {
    const { page } = b;
    await b.open('/admin/settings');
    await page.getByRole('link', { name: 'Edit the wording' }).click();
    await page.getByRole('heading', { name: 'Wording', level: 1 }).waitFor();
    await page.getByLabel('Language of the words').selectOption({ label: 'Spanish' });

    const footer = field(b.region('Mail footer'), 'Unsubscribe');
    const title = field(b.region('Subscribe form and confirmation pages'), 'Title');
    // The default is what an empty entry shows, and what readers get.
    expect(await footer.getAttribute('placeholder')).toBe('Cancelar la suscripción');
    expect(await footer.inputValue()).toBe('');
    await footer.fill('Salir de esta lista');
    await title.fill('Únase a la red');
    await b.region('Mail footer').getByText('Default: Cancelar la suscripción').waitFor();
    await page.getByRole('button', { name: 'Save the Spanish wording' }).click();
    await page.getByRole('status').filter({ hasText: 'Wording saved.' }).waitFor();
    expect(await wording()).toEqual({
      es: { footer: { unsubscribe: 'Salir de esta lista' }, subscribe: { title: 'Únase a la red' } },
    });
    // The top of the page as it is seen (the whole page is long: every entry of every group).
    const seen = (name: string) => page.screenshot({ path: join(ARTIFACTS, `wording-${name}.png`) });
    await page.evaluate(() => window.scrollTo(0, 0));
    await seen('computer');
    await b.expectAccessible('wording');

    await page.setViewportSize({ width: 390, height: 844 });
    await footer.scrollIntoViewIfNeeded();
    await seen('phone');
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.goto('/subscribe?lang=es');
    await page.getByRole('heading', { name: 'Únase a la red', level: 1 }).waitFor();

    await b.open('/admin/settings/wording');
    await page.getByLabel('Language of the words').selectOption({ label: 'Spanish' });
    expect(await footer.inputValue()).toBe('Salir de esta lista');
    await b.region('Mail footer').getByRole('button', { name: 'Reset Unsubscribe to the default' }).click();
    await b
      .region('Subscribe form and confirmation pages')
      .getByRole('button', { name: 'Reset Title to the default' })
      .click();
    expect(await footer.inputValue()).toBe('');
    await page.getByRole('button', { name: 'Save the Spanish wording' }).click();
    await page.getByRole('status').filter({ hasText: 'Wording saved.' }).waitFor();
    expect(await wording()).toEqual({});

    await page.goto('/subscribe?lang=es');
    await page.getByRole('heading', { name: 'Suscribirse', level: 1 }).waitFor();
  });

  it('names the entry the server refused beside it, and keeps what was typed', async () => {
    const { page } = b;
    await b.open('/admin/settings/wording');
    await page.getByLabel('Language of the words').selectOption({ label: 'Spanish' });
    const entry = field(b.region('Mail footer'), 'Why general');
    await entry.fill('Gracias, {name}');
    await page.getByRole('button', { name: 'Save the Spanish wording' }).click();
    await b.region('Mail footer').getByText('has no slot {name}: it may use {organisation}').waitFor();
    expect(await entry.getAttribute('aria-invalid')).toBe('true');
    expect(await entry.inputValue()).toBe('Gracias, {name}');
    expect(await wording()).toEqual({});
  });
});

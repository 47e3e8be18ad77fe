// The supporters' pages in Chromium, as a phone (390 px) and a desktop (1440 px) show them, in
// English and Spanish: subscribe, preferences, and unsubscribe before, after and again. None
// scrolls sideways, every choice is a row large enough to touch, and axe-core finds no serious
// or critical WCAG A/AA violation. Each is saved as a PNG under tests/e2e/artifacts/.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ARTIFACTS, expectAccessible, launchChromium } from './harness.js';

const WIDTHS = [390, 1440];
/** WCAG 2.5.5's target size: a row a finger can hit. */
const TOUCH = 44;

describe('the public pages in a browser', () => {
  let app: TestApp;
  let browser: Browser;
  let links: { preferences: string; unsubscribe: string };

  beforeAll(async () => {
    app = await startTestApp('sqlite');
    await app.request('PUT', '/api/settings', {
      json: { organisationName: 'National Network for Immigrant and Refugee Rights' },
    });
    await app.request('POST', '/api/topics', {
      json: {
        key: 'weekly-bulletin',
        name: { en: 'Weekly bulletin', es: 'Boletín semanal' },
        description: {
          en: 'News and actions for immigrant and refugee rights, every week',
          es: 'Noticias y acciones por los derechos de las personas inmigrantes y refugiadas, cada semana',
        },
        public: true,
      },
    });
    await app.request('POST', '/api/topics', {
      json: { key: 'border', name: { en: 'Border news', es: 'Noticias de la frontera' }, public: true },
    });
    const ana = await (
      await app.request('POST', '/api/subscribers', {
        json: { email: 'ana@example.org', language: 'es', status: 'active', topics: ['weekly-bulletin'] },
      })
    ).json();
    const { signer } = app.stores;
    links = {
      preferences: `/preferences/${signer.sign('preferences', String(ana.id))}`,
      unsubscribe: `/unsubscribe/${signer.sign('unsubscribe', `${ana.id}:0`)}`,
    };
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** Opens `path` at each width, checks it, and saves it as public-NAME-LANG-WIDTH.png. */
  async function look(name: string, path: string, lang: 'en' | 'es'): Promise<void> {
    for (const width of WIDTHS) {
      const page = await browser.newPage({ viewport: { width, height: 900 }, locale: lang });
      await page.goto(`${app.baseUrl}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth),
        `${name} ${lang} at ${width} px`,
      ).toBeLessThanOrEqual(width);
      const rows = await page
        .locator('label.choice')
        .evaluateAll((labels) => labels.map((l) => l.getBoundingClientRect().height));
      expect(
        rows.filter((height) => height < TOUCH),
        `${name}: choice rows under ${TOUCH} px`,
      ).toEqual([]);
      for (const field of await page
        .locator('input[type=email], input[type=text]:not([tabindex="-1"]), select, button')
        .all()) {
        expect((await field.boundingBox())!.height, `${name}: a field or button`).toBeGreaterThanOrEqual(TOUCH);
      }
      // What axe checks does not change with the width; once is enough, and it is the slow part.
      if (width === WIDTHS[0]) await expectAccessible(page, `${name} ${lang}`);
      await page.screenshot({ path: join(ARTIFACTS, `public-${name}-${lang}-${width}.png`), fullPage: true });
      await page.close();
    }
  }

  it.each(['en', 'es'] as const)(
    'subscribe, preferences and unsubscribe fit, can be touched and pass axe (%s)',
    { timeout: 60_000 },
    async (lang) => {
      await look('subscribe', '/subscribe', lang);
      await look('preferences', links.preferences, lang);
      await look('unsubscribe', links.unsubscribe, lang);
    },
  );

  it('the pages after leaving: done, already left, and the way back', { timeout: 60_000 }, async () => {
    const done = await browser.newPage({ viewport: { width: 390, height: 900 } });
    await done.goto(`${app.baseUrl}${links.unsubscribe}`);
    await done.getByRole('button', { name: 'Cancelar mi suscripción' }).click();
    await done.getByRole('heading', { name: 'Su suscripción se canceló' }).waitFor();
    await expectAccessible(done, 'unsubscribed');
    await done.screenshot({ path: join(ARTIFACTS, 'public-unsubscribed-es-390.png'), fullPage: true });
    await done.close();
    for (const lang of ['en', 'es'] as const) await look('already-unsubscribed', links.unsubscribe, lang);
    await look('preferences-unsubscribed', links.preferences, 'en');
  });
});

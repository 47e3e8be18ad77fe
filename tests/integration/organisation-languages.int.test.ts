// The organisation's languages and locales (Settings), through the real app: the forms offer
// them, a reader of another language keeps it, and dates follow the language's locale. An Arabic
// bulletin's archive page is right to left.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulletinDocument } from '../../src/bulletins/document.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { startTags } from '../helpers/html.js';

const ARABIC = JSON.parse(
  readFileSync(new URL('../../examples/know-your-rights-arabic.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const ARABIC_DOCUMENT = BulletinDocument.parse(ARABIC);

interface Issue {
  path: string;
  message: string;
}

describe.each(databaseKinds())("the organisation's languages on %s", (kind) => {
  let app: TestApp;
  const putSettings = (json: unknown) => app.request('PUT', '/api/settings', { json });
  const issues = async (res: Response) => (await res.json()).error.issues as Issue[];
  const form = (url: string, body: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body).toString(),
    });
  /** A subscriber of `language`, and the address of their preference page. */
  const reader = async (email: string, language: string) => {
    const res = await app.request('POST', '/api/subscribers', { json: { email, language, status: 'active' } });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: number };
    return { id, url: `${app.baseUrl}/preferences/${app.stores.signer.sign('preferences', String(id))}` };
  };
  const languageOf = async (id: number) =>
    ((await (await app.request('GET', `/api/subscribers/${id}`)).json()) as { language: string }).language;
  /** The language select's options, as [value, selected]. */
  const options = (html: string) =>
    [...(/<select id="language"[\s\S]*?<\/select>/.exec(html)?.[0] ?? '').matchAll(/<option ([^>]*)>/g)].map((m) => [
      /value="([^"]*)"/.exec(m[1]!)![1],
      m[1]!.includes('selected'),
    ]);

  beforeAll(async () => {
    app = await startTestApp(kind);
  });
  afterAll(() => app.close());

  it('are English and Spanish, in US numbers and dates, until changed; a change reads back as stored', async () => {
    expect(await (await app.request('GET', '/api/settings')).json()).toMatchObject({
      languages: ['en', 'es'],
      locales: { en: 'en-US', es: 'es-US' },
    });
    const res = await putSettings({
      languages: ['EN', 'Spanish', 'ar', 'pt_br'],
      locales: { ES: 'es-es', en: 'en-US' },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const expected = { languages: ['en', 'es', 'ar', 'pt-BR'], locales: { es: 'es-ES', en: 'en-US' } };
    expect(await res.json()).toMatchObject(expected);
    expect(await (await app.request('GET', '/api/settings')).json()).toMatchObject(expected);
  });

  it('refuses a locale Intl does not take, no language or one named twice, naming the field', async () => {
    const before = await (await app.request('GET', '/api/settings')).json();
    for (const [patch, path] of [
      [{ locales: { es: 'es_ES!' } }, 'locales.es'],
      [{ languages: [] }, 'languages'],
      [{ languages: ['en', 'es', 'ES'] }, 'languages[2]'],
      [{ languages: ['en', 'not a language'] }, 'languages[1]'],
    ] as const) {
      const res = await putSettings(patch);
      expect(res.status, path).toBe(400);
      expect(
        (await issues(res)).map((i) => i.path),
        path,
      ).toEqual([path]);
    }
    expect(await (await app.request('GET', '/api/settings')).json()).toEqual(before);
  });

  it("offers the organisation's languages on the subscribe form, and takes no other", async () => {
    await putSettings({ languages: ['en', 'es', 'ar'] });
    const page = await (await fetch(`${app.baseUrl}/subscribe`)).text();
    expect(options(page)).toEqual([
      ['en', true],
      ['es', false],
      ['ar', false],
    ]);
    expect(startTags(page, 'option').find((o) => o.value === 'ar')).toMatchObject({ lang: 'ar', dir: 'rtl' });
    expect(page).toContain('>العربية</option>');

    expect((await form(`${app.baseUrl}/subscribe`, { email: 'amal@example.org', language: 'ar' })).status).toBe(200);
    // The confirmation worker records the request (tests/integration/subscribe.int.test.ts); here, what the form takes.
    expect((await form(`${app.baseUrl}/subscribe`, { email: 'jean@example.org', language: 'fr' })).status).toBe(400);
  });

  it('lets a reader of Portuguese or Arabic save the preference page and keep their language', async () => {
    await putSettings({ languages: ['en', 'es'] });
    for (const language of ['pt', 'ar']) {
      const { id, url } = await reader(`reader-${language}@example.org`, language);
      const page = await (await fetch(url)).text();
      // The organisation's languages, and the reader's own, chosen.
      expect(options(page), language).toEqual([
        ['en', false],
        ['es', false],
        [language, true],
      ]);
      const saved = await form(url, { language, pause: 'keep' });
      expect(saved.status, language).toBe(200);
      expect(await languageOf(id), language).toBe(language);
      // Another reader's language is not on their page: refused, nothing changed.
      expect((await form(url, { language: 'fr', pause: 'keep' })).status, language).toBe(400);
      expect(await languageOf(id), language).toBe(language);
      // The organisation's languages stay open to them.
      expect((await form(url, { language: 'es', pause: 'keep' })).status, language).toBe(200);
      expect(await languageOf(id), language).toBe('es');
    }
  });

  it('shows the public pages right to left once the organisation writes words for Arabic', async () => {
    const { url } = await reader('rtl@example.org', 'ar');
    // Without Arabic words the page is in the default language's, left to right.
    expect(await (await fetch(url)).text()).toMatch(/<html lang="en">/);
    const wording = { ar: { preferences: { title: 'تفضيلاتك' }, subscribe: { title: 'اشترك' } } };
    expect((await putSettings({ wording })).status).toBe(200);
    const page = await (await fetch(url)).text();
    expect(page).toMatch(/<html lang="ar" dir="rtl">/);
    expect(page).toContain('<h1>تفضيلاتك</h1>');
    const form = await (await fetch(`${app.baseUrl}/subscribe?lang=ar`)).text();
    expect(form).toMatch(/<html lang="ar" dir="rtl">/);
    expect((await putSettings({ wording: {} })).status).toBe(200);
  });

  it("offers in each page's language switch the organisation's languages that have words", async () => {
    const switchOf = async (path: string) =>
      [
        ...(
          /<nav aria-label="Language \/ Idioma">[\s\S]*?<\/nav>/.exec(
            await (await fetch(`${app.baseUrl}${path}`)).text(),
          )?.[0] ?? ''
        ).matchAll(/>([^<>]+)<\/(?:a|strong)>/g),
      ].map((m) => m[1]);
    expect(await switchOf('/subscribe?lang=en')).toEqual(['English', 'Español']);
    // Portuguese without words of its own is not offered; with the organisation's words it is.
    expect((await putSettings({ languages: ['en', 'es', 'pt'] })).status).toBe(200);
    expect(await switchOf('/subscribe?lang=en')).toEqual(['English', 'Español']);
    expect((await putSettings({ wording: { pt: { subscribe: { title: 'Inscreva-se' } } } })).status).toBe(200);
    expect(await switchOf('/subscribe?lang=pt')).toEqual(['English', 'Español', 'Português']);
    // One language alone needs no switch.
    expect((await putSettings({ languages: ['en'], wording: {} })).status).toBe(200);
    expect(await switchOf('/subscribe?lang=en')).toEqual([]);
    expect((await putSettings({ languages: ['en', 'es'] })).status).toBe(200);
  });

  it("writes the preference page's dates in the language's locale", async () => {
    const { url } = await reader('dates@example.org', 'en');
    await form(url, { language: 'en', pause: '30' });
    const until = new Date(Date.now() + 30 * 86_400_000);
    const inLocale = (locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(until);
    expect(inLocale('en-GB')).not.toBe(inLocale('en-US'));
    expect(await (await fetch(url)).text()).toContain(inLocale('en-US'));
    await putSettings({ locales: { en: 'en-GB', es: 'es-US' } });
    expect(await (await fetch(url)).text()).toContain(inLocale('en-GB'));
  });

  it("serves an Arabic bulletin's archive page right to left, its bar in its own words' direction", async () => {
    await app.request('POST', '/api/topics', {
      json: { key: 'weekly-bulletin', name: { en: 'Weekly bulletin', ar: 'النشرة الأسبوعية' }, public: true },
    });
    const created = await app.request('POST', '/api/bulletins', { json: ARABIC });
    expect(created.status, await created.clone().text()).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const version = await app.stores.bulletins.save(id, ARABIC_DOCUMENT);
    const campaign = await insertCampaign(
      app.db,
      { id, versionId: version.versionId },
      { archive: 1, topic: 'weekly-bulletin' },
    );
    const { stores } = app;
    await stores.archivePages.publish(campaign, version.document, await stores.renderer.themeContext(version.document));

    const res = await fetch(`${app.baseUrl}/archive/${campaign}?lang=ar`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<html lang="ar" dir="rtl"/);
    expect(html).toMatch(/<div[^>]* lang="ar" dir="rtl"/);
    expect(html).toMatch(/<nav class="archive-bar" aria-label="[^"]*" lang="en" dir="ltr">/);
    const english = await (await fetch(`${app.baseUrl}/archive/${campaign}?lang=en`)).text();
    expect(english).toMatch(/<html lang="en" dir="ltr"/);
  });
});

// The preview route's looks: the mail in a client's dark mode, and with images blocked.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';

const EXAMPLE = JSON.parse(
  readFileSync(new URL('../../examples/launch-petition-100-days.json', import.meta.url), 'utf8'),
);
const IMAGE = {
  type: 'image',
  src: 'https://news.example.org/march.jpg',
  alt: { en: 'Marchers at the Capitol', es: 'Manifestantes en el Capitolio' },
};
const imgTags = (html: string) => html.match(/<img\b[^>]*>/g) ?? [];

describe.each(databaseKinds())('preview looks on %s', (kind) => {
  let app: TestApp;
  let id: number;
  const preview = (query: string) => app.request('GET', `/api/bulletins/${id}/preview?${query}`);

  beforeAll(async () => {
    app = await startTestApp(kind);
    const res = await app.request('POST', '/api/bulletins', {
      json: { ...EXAMPLE, blocks: [IMAGE, ...EXAMPLE.blocks] },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    id = (await res.json()).id;
  });
  afterAll(() => app.close());

  it('renders the dark rules unconditionally with scheme=dark, and as sent without it', async () => {
    const light = await (await preview('lang=es')).text();
    expect(light).toMatch(/@media \(prefers-color-scheme: dark\)/);
    const res = await preview('lang=es&scheme=dark');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const dark = await res.text();
    expect(dark).not.toMatch(/prefers-color-scheme/);
    expect(dark).toMatch(/@media all\s*\{/);
    expect(dark).toContain('lang="es"');
  });

  it('writes the alt texts in the images’ places with images=off, loading none', async () => {
    const shown = imgTags(await (await preview('lang=es')).text());
    expect(shown.filter((tag) => tag.includes('src="https://news.example.org/march.jpg"'))).toHaveLength(1);
    const res = await preview('lang=es&images=off&scheme=dark');
    expect(res.status).toBe(200);
    const off = await res.text();
    expect(imgTags(off)).toEqual([]);
    expect(off).not.toContain('https://news.example.org/march.jpg');
    expect(off).toMatch(/<span class="image-off" style="[^"]*">Manifestantes en el Capitolio<\/span>/);
    expect(off).not.toMatch(/prefers-color-scheme/);
  });

  it('refuses a look it does not know, or one asked of the text or MJML, naming the field', async () => {
    for (const [query, field] of [
      ['scheme=sepia', 'scheme'],
      ['images=none', 'images'],
      ['format=text&scheme=dark', 'scheme'],
      ['format=mjml&images=off', 'images'],
    ]) {
      const res = await preview(query!);
      expect(res.status, query).toBe(400);
      expect(
        (await res.json()).error.issues.map((issue: { path: string }) => issue.path),
        query,
      ).toEqual([field]);
    }
  });
});

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { loadExampleBulletin } from '../../src/bulletins/example.js';
import { databaseKinds } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe.each(databaseKinds())('CSV import and export on %s', (kind) => {
  let app: TestApp;
  const importCsv = (csv: string, query = '') =>
    app.request('POST', `/api/subscribers/import${query}`, { body: csv, headers: { 'content-type': 'text/csv' } });
  const find = async (email: string) =>
    (await (await app.request('GET', `/api/subscribers?email=${encodeURIComponent(email)}`)).json()).data[0];

  beforeAll(async () => {
    app = await startTestApp(kind);
    for (const key of ['weekly-bulletin', 'refugees']) {
      await app.request('POST', '/api/topics', { json: { key, name: { en: key } } });
    }
    // Someone who unsubscribed before the import, and someone erased
    const gone = await (
      await app.request('POST', '/api/subscribers', { json: { email: 'left@example.org', status: 'active' } })
    ).json();
    await app.request('PATCH', `/api/subscribers/${gone.id}`, { json: { status: 'unsubscribed' } });
    const erased = await (
      await app.request('POST', '/api/subscribers', { json: { email: 'erased@example.org' } })
    ).json();
    await app.request('DELETE', `/api/subscribers/${erased.id}`);
  });
  afterAll(() => app.close());

  it('imports good rows, merges duplicates, and reports bad and suppressed rows by line', async () => {
    const csv = [
      'Email,Name,Language,Topics,Tags,City',
      'maria@example.org,María Pérez,es,weekly-bulletin;refugees,volunteer,Tucson',
      'not-an-email,Nobody,en,,,',
      'JOSE@example.org,José,es,weekly-bulletin,,El Paso',
      'jose@example.org,,,refugees,press,',
      'erased@example.org,Erased,en,,,',
      'left@example.org,Left Again,en,weekly-bulletin,,',
      'kim@example.org,"Kim, Jr.",en,no-such-topic,,',
      '"multi@example.org","Line one',
      'line two",en,,,',
      'short@example.org,Short',
      'lee@example.org,Lee,xx-invalid-language-code,,,',
    ].join('\n');
    const res = await importCsv(csv);
    expect(res.status).toBe(200);
    const report = await res.json();
    expect(report).toMatchObject({ rows: 10, created: 3, merged: 2, failed: 5 });
    expect(report.errors).toEqual([
      { line: 3, email: 'not-an-email', message: 'email: must be an email address' },
      { line: 6, email: 'erased@example.org', message: 'address is suppressed (erased) and was not imported' },
      { line: 8, email: 'kim@example.org', message: 'topics: no topic with key "no-such-topic"' },
      { line: 11, message: expect.stringMatching(/column/i) },
      { line: 12, email: 'lee@example.org', message: expect.stringMatching(/^language: /) },
    ]);

    expect(await find('maria@')).toMatchObject({
      name: 'María Pérez',
      language: 'es',
      status: 'active',
      topics: ['refugees', 'weekly-bulletin'],
      tags: ['volunteer'],
      attributes: { city: 'Tucson' },
    });
    // the two José rows are one person: topics and tags added up, the first row's name kept
    expect(await find('jose@')).toMatchObject({
      name: 'José',
      topics: ['refugees', 'weekly-bulletin'],
      tags: ['press'],
      attributes: { city: 'El Paso' },
    });
    expect(await find('multi@')).toMatchObject({ name: 'Line one\nline two' });
    // an import never re-subscribes someone who left
    expect(await find('left@')).toMatchObject({
      status: 'unsubscribed',
      name: 'Left Again',
      topics: ['weekly-bulletin'],
    });
    expect(await find('erased@')).toBeUndefined();
  });

  it('reads a language column in any case or by name, stores the code, refuses others naming the column', async () => {
    const csv = [
      'email,language',
      'lang1@example.org,ES',
      'lang2@example.org,Español',
      'lang3@example.org,spanish',
      'lang4@example.org,pt-br',
      'lang5@example.org,Klingon',
    ].join('\n');
    const report = await (await importCsv(csv)).json();
    expect(report).toMatchObject({ rows: 5, created: 4, failed: 1 });
    expect(report.errors).toEqual([
      {
        line: 6,
        email: 'lang5@example.org',
        message:
          "language: must be a language code such as en, es or pt-BR, or a language's name such as Spanish or Español",
      },
    ]);
    const languages = await Promise.all(
      ['lang1@', 'lang2@', 'lang3@', 'lang4@'].map(async (email) => (await find(email)).language),
    );
    expect(languages).toEqual(['es', 'es', 'es', 'pt-BR']);
  });

  it('creates pending subscribers when asked, and logs the import as their consent source', async () => {
    const report = await (await importCsv('email\nnew1@example.org\nnew2@example.org\n', '?status=pending')).json();
    expect(report).toMatchObject({ rows: 2, created: 2, failed: 0 });
    const sub = await find('new1@');
    expect(sub.status).toBe('pending');
    const events = await app.db.database.db
      .selectFrom('consent_events')
      .select(['event', 'source'])
      .where('subscriber_id', '=', sub.id)
      .execute();
    expect(events).toEqual([{ event: 'subscription_requested', source: 'import' }]);
  });

  it('refuses a file without an email column, a wrong content type and a bad status, changing nothing', async () => {
    const before = (await (await app.request('GET', '/api/subscribers')).json()).total;
    const noEmail = await importCsv('name,language\nAna,es\n');
    expect(noEmail.status).toBe(400);
    expect((await noEmail.json()).error.message).toMatch(/email/);

    const json = await app.request('POST', '/api/subscribers/import', { json: [{ email: 'a@example.org' }] });
    expect(json.status).toBe(400);
    expect((await json.json()).error.issues[0].path).toBe('headers.content-type');

    const status = await importCsv('email\nz@example.org\n', '?status=unsubscribed');
    expect(status.status).toBe(400);
    expect((await status.json()).error.issues[0].path).toBe('status');
    expect((await (await app.request('GET', '/api/subscribers')).json()).total).toBe(before);
  });

  it('exports every subscriber as CSV that imports back to the same people', async () => {
    const res = await app.request('GET', '/api/subscribers/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = await res.text();
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([
      'email',
      'name',
      'language',
      'status',
      'topics',
      'tags',
      'created_at',
      'attributes',
    ]);
    const maria = rows.find((r) => r.email === 'maria@example.org')!;
    expect(maria).toMatchObject({
      name: 'María Pérez',
      status: 'active',
      topics: 'refugees;weekly-bulletin',
      tags: 'volunteer',
    });
    expect(JSON.parse(maria.attributes!)).toEqual({ city: 'Tucson' });

    const filtered = parse(await (await app.request('GET', '/api/subscribers/export?status=pending')).text(), {
      columns: true,
    }) as { email: string }[];
    expect(filtered.map((r) => r.email).sort()).toEqual(['new1@example.org', 'new2@example.org']);

    // Round trip into an empty database: same people, topics, tags and attributes; status from the query
    const other = await startTestApp(kind);
    try {
      for (const key of ['weekly-bulletin', 'refugees'])
        await other.request('POST', '/api/topics', { json: { key, name: { en: key } } });
      const back = await (
        await other.request('POST', '/api/subscribers/import', { body: csv, headers: { 'content-type': 'text/csv' } })
      ).json();
      expect(back).toMatchObject({ rows: rows.length, created: rows.length, failed: 0 });
      const copy = (await (await other.request('GET', '/api/subscribers?email=maria@')).json()).data[0];
      expect(copy).toMatchObject({
        name: 'María Pérez',
        topics: ['refugees', 'weekly-bulletin'],
        tags: ['volunteer'],
        attributes: { city: 'Tucson' },
      });
    } finally {
      await other.close();
    }
  });

  it('imports the example CSVs of the README and the import screen on a fresh install with no failed row', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const screen = readFileSync(new URL('../../src/ui/subscribers/ImportSubscribers.tsx', import.meta.url), 'utf8');
    const examples = {
      readme: /### CSV import[\s\S]*?```csv\n([\s\S]*?)```/.exec(readme)![1]!,
      screen: /className="csv-example">\s*\{'(.*?)'\}/.exec(screen)![1]!.replaceAll('\\n', '\n'),
    };
    const fresh = await startTestApp(kind);
    try {
      await loadExampleBulletin(fresh.stores);
      for (const [where, csv] of Object.entries(examples)) {
        const res = await fresh.request('POST', '/api/subscribers/import', {
          body: csv,
          headers: { 'content-type': 'text/csv' },
        });
        expect(await res.json(), where).toMatchObject({ rows: 1, created: 1, failed: 0 });
      }
    } finally {
      await fresh.close();
    }
  });

  it('refuses export to an editor token: it is every address at once', async () => {
    expect((await app.request('GET', '/api/subscribers/export', { token: app.editorToken })).status).toBe(403);
  });

  it('adds a later row to what an earlier batch wrote, though several batches are written at once', async () => {
    // Batches of 2,000 rows: an address in batch 1 comes back in batch 2 (being written beside
    // it, so batch 2 must wait) and in batch 3; a row that names a topic and a tag twice.
    const rows = Array.from({ length: 5000 }, (_, i) => `wave${i}@example.org,Wave ${i},en,weekly-bulletin,,`);
    rows[10] = 'again@example.org,First,en,weekly-bulletin,first,Tucson';
    rows[2500] = 'again@example.org,Second,es,refugees;refugees,second;second,';
    rows[4500] = 'again@example.org,,,,third,Yuma';
    const report = await (await importCsv(['email,name,language,topics,tags,city', ...rows].join('\n'))).json();
    expect(report).toMatchObject({ rows: 5000, created: 4998, merged: 2, failed: 0 });
    expect(await find('again@')).toMatchObject({
      name: 'Second',
      language: 'es',
      topics: ['refugees', 'weekly-bulletin'],
      tags: ['first', 'second', 'third'],
      attributes: { city: 'Yuma' },
    });
    expect(await find('wave4999@')).toMatchObject({ name: 'Wave 4999', topics: ['weekly-bulletin'] });
  });

  it('imports a batch whose tags need more bound values than one SQL statement may carry', async () => {
    // 1,800 rows of a batch with ten tags each: 36,000 values for the tags alone, past SQLite's 32,766.
    const tags = Array.from({ length: 10 }, (_, i) => `tag-${i}`).join(';');
    const lines = Array.from(
      { length: 1800 },
      (_, i) => `many${i}@example.org,Many ${i},en,weekly-bulletin;refugees,${tags}`,
    );
    const report = await (await importCsv(['email,name,language,topics,tags', ...lines].join('\n'))).json();
    expect(report).toMatchObject({ rows: 1800, created: 1800, merged: 0, failed: 0 });
    expect(await find('many1799@')).toMatchObject({
      topics: ['refugees', 'weekly-bulletin'],
      tags: Array.from({ length: 10 }, (_, i) => `tag-${i}`),
    });
  });
});

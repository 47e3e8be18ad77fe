// CSV imports as files come from spreadsheets and from attackers: a byte-order mark, CRLF line
// ends, quoted fields with line breaks inside, stray and unclosed quotes, Latin-1 and UTF-16
// files, a 1 MB line, NUL bytes, 10,000-level JSON in an attribute cell, 10,000 bad rows among
// good ones. Every good row is kept, every bad one reported by its lines, nothing stored as
// mojibake, the answer bounded in size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REPORTED_ERRORS } from '../../src/audience/csv-import.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseKinds } from '../helpers/databases.js';
import { databaseSnapshot } from '../helpers/snapshot.js';

interface Report {
  rows: number;
  created: number;
  merged: number;
  failed: number;
  errors: { line: number; lastLine?: number; email?: string; message: string }[];
}

describe.each(databaseKinds())('hostile CSV imports on %s', (kind) => {
  let app: TestApp;
  const importCsv = (body: string | Buffer) =>
    app.request('POST', '/api/subscribers/import', { body: body as string, headers: { 'content-type': 'text/csv' } });
  const report = async (body: string | Buffer): Promise<Report> => {
    const res = await importCsv(body);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Report;
  };
  const find = async (email: string) =>
    (await (await app.request('GET', `/api/subscribers?email=${encodeURIComponent(email)}`)).json()).data[0];
  /** Every stored name and attribute, to show that no replacement character got in. */
  const storedText = async () =>
    JSON.stringify(
      await app.db.database.db.selectFrom('subscribers').select(['email', 'name', 'attributes']).execute(),
    );

  beforeAll(async () => {
    app = await startTestApp(kind);
    await app.request('POST', '/api/topics', { json: { key: 'news', name: { en: 'News' } } });
  });
  afterAll(() => app?.close());

  it('reads a file saved by a spreadsheet: byte-order mark, CRLF line ends, line breaks in quoted fields', async () => {
    const csv =
      '\ufeffEmail,Name,Topics,Note\r\nbom@example.org,"Ana\r\nPérez",news,"one, two"\r\n' +
      'crlf@example.org,"Line ""quoted""",,\r\n\r\nlast@example.org,Último,news,"a\nb"';
    expect(await report(Buffer.from(csv, 'utf8'))).toEqual({ rows: 3, created: 3, merged: 0, failed: 0, errors: [] });
    expect(await find('bom@')).toMatchObject({
      name: 'Ana\r\nPérez',
      topics: ['news'],
      attributes: { note: 'one, two' },
    });
    expect(await find('crlf@')).toMatchObject({ name: 'Line "quoted"' });
    expect(await find('last@')).toMatchObject({ name: 'Último', attributes: { note: 'a\nb' } });
  });

  it('reports the lines an unclosed quote took, from its opening line, each as a row not imported', async () => {
    for (const [eol, file] of [
      ['\n', 'lf'],
      ['\r\n', 'crlf'],
    ]) {
      // Lines 2–32 hold 30 rows and an empty line (10); line 28 opens a quote that nothing closes.
      const lines = ['email,name'];
      for (let line = 2; line <= 32; line++) {
        lines.push(
          line === 10
            ? ''
            : line === 28
              ? `"open${line}-${file}@example.org,Open ${line}`
              : `${file}${line}@example.org,Row ${line}`,
        );
      }
      const result = await report(lines.join(eol) + eol);
      expect(result, file).toEqual({
        rows: 30,
        created: 25,
        merged: 0,
        failed: 5,
        errors: [
          {
            line: 28,
            lastLine: 32,
            message:
              'lines 28–32 were not imported: a quote opened on line 28 is never closed, ' +
              'so the rest of the file was read as one value',
          },
        ],
      });
      expect(await find(`${file}27@`)).toMatchObject({ name: 'Row 27' });
      expect(await find(`${file}29@`)).toBeUndefined();
    }
  });

  it('reports a quote that closes rows later as one row over those lines, and reads on after it', async () => {
    const csv = [
      'email,name',
      'before-q@example.org,Before',
      '"stray@example.org,Stray',
      'eaten@example.org,Eaten',
      'kim-q@example.org,"Kim, Jr."',
      'after-q@example.org,After',
    ].join('\r\n');
    const result = await report(csv);
    expect(result).toMatchObject({ rows: 3, created: 2, failed: 1 });
    expect(result.errors).toEqual([
      {
        line: 3,
        email: expect.any(String),
        message: expect.stringMatching(/^lines 3–5 were read as one row \(a quoted value runs across them\): email: /),
      },
    ]);
    expect(await find('after-q@')).toMatchObject({ name: 'After' });
    expect(await find('eaten@')).toBeUndefined();
  });

  it('numbers lines as an editor does after a CRLF in quotes, and a failed row by the line it starts on', async () => {
    const csv =
      'email,name\r\nmulti-crlf@example.org,"Ana\r\nPérez"\r\nnot-an-address,Bad\r\n' +
      'two-lines@example.org,"Two\r\nlines",extra\r\nlast-bad,X\r\n';
    const result = await report(csv);
    expect(result.errors).toEqual([
      { line: 4, email: 'not-an-address', message: 'email: must be an email address' },
      {
        line: 5,
        message:
          'lines 5–6 were read as one row (a quoted value runs across them): ' +
          'has 3 values where the header has 2 columns',
      },
      { line: 7, email: 'last-bad', message: 'email: must be an email address' },
    ]);
  });

  it('keeps a quote inside a value as written, and every row after it', async () => {
    const csv = [
      'email,name,city',
      'nana@example.org,Ana "Nana" Pérez,Tucson',
      'quoted@example.org,"Ana" Pérez,  El Paso  ',
      'next@example.org,Next,Lisbon',
    ].join('\n');
    expect(await report(csv)).toEqual({ rows: 3, created: 3, merged: 0, failed: 0, errors: [] });
    expect(await find('nana@')).toMatchObject({ name: 'Ana "Nana" Pérez' });
    expect(await find('quoted@')).toMatchObject({ name: '"Ana" Pérez', attributes: { city: 'El Paso' } });
    expect(await find('next@')).toMatchObject({ name: 'Next' });
  });

  it('reports a row with too few or too many values by its line, in words', async () => {
    const result = await report(
      'email,name\nfew@example.org\nmany@example.org,Many,extra\nfine-count@example.org,Fine\n',
    );
    expect(result.errors).toEqual([
      { line: 2, message: 'has 1 value where the header has 2 columns' },
      { line: 3, message: 'has 3 values where the header has 2 columns' },
    ]);
    expect(await find('fine-count@')).toMatchObject({ name: 'Fine' });
  });

  it('reports non-UTF-8 rows of a Latin-1 file by line and column, keeps the rest, stores no mojibake', async () => {
    const csv = Buffer.from(
      'email,name\nascii@example.org,Plain\nlatin@example.org,José Núñez\nalso@example.org,Also plain\n',
      'latin1',
    );
    const result = await report(csv);
    expect(result).toMatchObject({ rows: 3, created: 2, failed: 1 });
    expect(result.errors).toEqual([
      { line: 3, email: 'latin@example.org', message: expect.stringMatching(/^name: .*UTF-8/) },
    ]);
    expect(await find('latin@')).toBeUndefined();
    expect(await find('ascii@')).toMatchObject({ name: 'Plain' });
    expect(await storedText()).not.toContain('\ufffd');
  });

  it('reads a UTF-16 file with a BOM, and refuses one without as a whole, naming UTF-8, changing nothing', async () => {
    const utf16 = (text: string) => Buffer.from(text, 'utf16le');
    expect(
      await report(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16('email,name\nutf16@example.org,Ana Núñez\n')])),
    ).toMatchObject({ rows: 1, created: 1, failed: 0 });
    expect(await find('utf16@')).toMatchObject({ name: 'Ana Núñez' });

    const before = await databaseSnapshot(app.db);
    const res = await importCsv(utf16('email,name\nbare16@example.org,Ana\n'));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/not UTF-8.*UTF-16/);
    expect(await databaseSnapshot(app.db)).toEqual(before);
  });

  it('reports a 1 MB line, a NUL byte and 10,000-deep JSON by line without echoing them; keeps the rest', async () => {
    const huge = 'x'.repeat(1_000_000);
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const csv = [
      'email,name,attributes',
      'before@example.org,Before,',
      `long@example.org,${huge},`,
      `${huge}@example.org,Long address,`,
      huge,
      'nul@example.org,A\u0000B,',
      `deep@example.org,Deep,"${deep.replaceAll('"', '""')}"`,
      'after@example.org,After,"{""city"":""Tucson""}"',
    ].join('\n');
    const res = await importCsv(csv);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.length).toBeLessThan(10_000);
    const result = JSON.parse(text) as Report;
    expect(result).toMatchObject({ rows: 7, created: 2, failed: 5 });
    expect(result.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7]);
    expect(result.errors[0]).toMatchObject({ email: 'long@example.org', message: expect.stringMatching(/^name: /) });
    expect(result.errors[3]).toMatchObject({
      email: 'nul@example.org',
      message: expect.stringMatching(/^name: .*NUL/),
    });
    expect(result.errors[4]).toMatchObject({
      email: 'deep@example.org',
      message: expect.stringMatching(/^attributes.*deeper/),
    });
    expect(await find('before@')).toMatchObject({ name: 'Before' });
    expect(await find('after@')).toMatchObject({ name: 'After', attributes: { city: 'Tucson' } });
    expect(await find('nul@')).toBeUndefined();
  });

  it('keeps all good rows amid 10,000 bad ones, counts each bad one, lists a bounded first few by line', async () => {
    const lines = ['email,name,language'];
    const good: number[] = [];
    for (let i = 0; i < 10_500; i++) {
      if (i % 21 === 0) {
        good.push(i);
        lines.push(`good${i}@example.org,Good ${i},es`);
      } else {
        lines.push(i % 2 ? `bad${i}-not-an-address,Bad ${i},en` : `bad${i}@example.org,Bad ${i},not a language`);
      }
    }
    const res = await importCsv(lines.join('\n'));
    expect(res.status).toBe(200);
    const text = await res.text();
    const result = JSON.parse(text) as Report;
    expect(result).toMatchObject({ rows: 10_500, created: good.length, failed: 10_500 - good.length });
    expect(result.failed).toBe(10_000);
    expect(result.errors).toHaveLength(MAX_REPORTED_ERRORS);
    // The first bad rows, in file order: line = index + 2 (the header is line 1).
    const firstBad = Array.from({ length: 10_500 }, (_, i) => i)
      .filter((i) => i % 21 !== 0)
      .slice(0, MAX_REPORTED_ERRORS);
    expect(result.errors.map((e) => e.line)).toEqual(firstBad.map((i) => i + 2));
    expect(text.length).toBeLessThan(200_000);
    const stored = await app.db.database.db
      .selectFrom('subscribers')
      .select('email')
      .where('email', 'like', 'good%')
      .execute();
    expect(stored.map((r) => r.email).sort()).toEqual(good.map((i) => `good${i}@example.org`).sort());
    expect(
      await app.db.database.db.selectFrom('subscribers').select('email').where('email', 'like', 'bad%').execute(),
    ).toEqual([]);
  }, 60_000);
});

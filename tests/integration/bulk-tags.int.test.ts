// POST /api/subscribers/tags: a tag added to or removed from many subscribers by address, as JSON
// or as a streamed CSV file, and the audience a rule on that tag then reaches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe.each(databaseKinds())('tags in bulk on %s', (kind) => {
  let app: TestApp;
  const tagList = (json: unknown) => app.request('POST', '/api/subscribers/tags', { json });
  const tagCsv = (csv: string, query: string) =>
    app.request('POST', `/api/subscribers/tags${query}`, { body: csv, headers: { 'content-type': 'text/csv' } });
  const tagsOf = async (email: string) =>
    (await (await app.request('GET', `/api/subscribers?email=${encodeURIComponent(email)}`)).json()).data[0].tags;
  const tagged = async (tag: string) =>
    (await (await app.request('GET', `/api/subscribers?tag=${tag}&perPage=1`)).json()).total as number;
  const reached = async (tag: string) =>
    (await (await app.request('POST', '/api/audience/preview', { json: { rule: { tag } } })).json()).selected;

  beforeAll(async () => {
    app = await startTestApp(kind);
    const csv = ['email,tags', 'ana@example.org,press', 'luis@example.org,', 'mia@example.org,', 'rosa@example.org,'];
    await app.request('POST', '/api/subscribers/import', {
      body: `${csv.join('\n')}\n`,
      headers: { 'content-type': 'text/csv' },
    });
    const erased = await (
      await app.request('POST', '/api/subscribers', { json: { email: 'gone@example.org' } })
    ).json();
    await app.request('DELETE', `/api/subscribers/${erased.id}`);
  });
  afterAll(() => app.close());

  it('adds and removes a tag from a JSON list, compared as the store compares addresses', async () => {
    const added = await tagList({
      tag: 'signed-petition',
      action: 'add',
      emails: [' ANA@example.org', 'luis@example.org', 'ana@example.org', 'nobody@example.org', 'gone@example.org'],
    });
    expect(added.status).toBe(200);
    expect(await added.json()).toEqual({
      tag: 'signed-petition',
      action: 'add',
      matched: 2,
      changed: 2,
      unchanged: 0,
      notFound: 2,
      duplicates: 1,
      failed: 0,
      errors: [],
    });
    expect(await tagsOf('ana@example.org')).toEqual(['press', 'signed-petition']);

    const again = await (await tagList({ tag: 'signed-petition', action: 'add', emails: ['luis@example.org'] })).json();
    expect(again).toMatchObject({ matched: 1, changed: 0, unchanged: 1 });

    const removed = await (
      await tagList({ tag: 'signed-petition', action: 'remove', emails: ['luis@example.org', 'mia@example.org'] })
    ).json();
    expect(removed).toMatchObject({ matched: 2, changed: 1, unchanged: 1, notFound: 0 });
    expect(await tagsOf('luis@example.org')).toEqual([]);
    expect(await tagsOf('ana@example.org')).toEqual(['press', 'signed-petition']);
  });

  it('reports an item that is not an address by its index, and tags the rest', async () => {
    const res = await tagList({ tag: 'list-errors', action: 'add', emails: ['mia@example.org', 'not-an-address'] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      matched: 1,
      failed: 1,
      errors: [{ index: 1, email: 'not-an-address', message: 'must be an email address' }],
    });
  });

  it('reads the Email column of a CSV among others, and reports bad rows by line', async () => {
    const csv = [
      'First name,Zip,Email,Signed at',
      'Rosa,85701,ROSA@example.org,2026-11-30',
      'Bad,85702,not-an-address,2026-11-30',
      'Who,85703,stranger@example.org,2026-11-30',
      '"Mia, M.",85704,mia@example.org',
    ];
    const res = await tagCsv(`${csv.join('\r\n')}\r\n`, '?tag=petition-csv&action=add');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      tag: 'petition-csv',
      action: 'add',
      matched: 2,
      changed: 2,
      unchanged: 0,
      notFound: 1,
      duplicates: 0,
      failed: 1,
      errors: [{ line: 3, email: 'not-an-address', message: 'must be an email address' }],
    });
    expect(await tagsOf('rosa@example.org')).toEqual(['petition-csv']);
  });

  it('reads the first column of a CSV without a header', async () => {
    const res = await tagCsv('luis@example.org,Luis\nrosa@example.org\n\nnope\n', '?tag=no-header&action=add');
    expect(await res.json()).toMatchObject({
      matched: 2,
      changed: 2,
      failed: 1,
      errors: [{ line: 4, email: 'nope', message: 'must be an email address' }],
    });
  });

  it('does not find an erased or suppressed subscriber, nor create anyone', async () => {
    await app.request('POST', '/api/subscribers', { json: { email: 'held@example.org' } });
    await app.request('POST', '/api/suppressions', { json: { email: 'held@example.org', reason: 'complained' } });
    const before = (await (await app.request('GET', '/api/subscribers')).json()).total;
    const csv = 'email\ngone@example.org\nheld@example.org\nnew@example.org\n';
    const res = await tagCsv(csv, '?tag=erased&action=add');
    expect(await res.json()).toMatchObject({ matched: 0, notFound: 3 });
    expect(await tagsOf('held@example.org')).toEqual([]);
    expect((await (await app.request('GET', '/api/subscribers')).json()).total).toBe(before);
  });

  it('changes nothing on a refused request', async () => {
    const refusals = [
      [await tagList({ tag: '', action: 'add', emails: ['ana@example.org'] }), 'tag'],
      [await tagList({ tag: 'refused', action: 'toggle', emails: ['ana@example.org'] }), 'action'],
      [await tagList({ tag: 'refused', action: 'add', emails: Array(10_001).fill('ana@example.org') }), 'emails'],
      [await tagCsv('email\nana@example.org\n', '?tag=refused&action=flip'), 'action'],
      [await tagCsv('email\nana@example.org\n', '?action=add'), 'tag'],
      // A UTF-16 file read as UTF-8: a NUL byte between its letters.
      [await tagCsv('e\u0000m\u0000a\u0000i\u0000l\u0000\nana@example.org\n', '?tag=refused&action=add'), 'body'],
      [
        await app.request('POST', '/api/subscribers/tags?tag=refused&action=add', {
          body: 'ana@example.org',
          headers: { 'content-type': 'text/plain' },
        }),
        'body',
      ],
    ] as const;
    for (const [res, field] of refusals) {
      expect(res.status).toBe(400);
      expect((await res.json()).error.issues.map((i: { path: string }) => i.path)).toContain(field);
    }
    expect(await tagged('refused')).toBe(0);
    expect(await tagsOf('ana@example.org')).not.toContain('');
  });

  it('records the tag and the counts in the audit trail, never the addresses', async () => {
    await tagList({ tag: 'audited', action: 'add', emails: ['rosa@example.org'] });
    const { data } = await (await app.request('GET', '/api/audit?action=subscribers_tagged&limit=1')).json();
    expect(data[0].details).toEqual({
      tag: 'audited',
      action: 'add',
      matched: 1,
      changed: 1,
      unchanged: 0,
      notFound: 0,
      duplicates: 0,
      failed: 0,
    });
    expect(JSON.stringify(data[0])).not.toContain('rosa@');
  });

  it('streams a 20,000-row CSV, after which a rule on the tag reaches exactly the tagged people', async () => {
    const people = Array.from({ length: 300 }, (_, i) => `signer-${i}@example.org`);
    await app.request('POST', '/api/subscribers/import', {
      body: `email\n${people.join('\n')}\n`,
      headers: { 'content-type': 'text/csv' },
    });
    // Every tenth signer a subscriber, the rest strangers; the header in capitals, a column after it.
    const rows = Array.from({ length: 20_000 }, (_, i) =>
      i % 10 === 0 && i / 10 < 300 ? `${people[i / 10]},yes` : `stranger-${i}@example.net,yes`,
    );
    const res = await tagCsv(`EMAIL,Opt-in\n${rows.join('\n')}\n`, '?tag=signed-petition-62500&action=add');
    expect(await res.json()).toMatchObject({ matched: 300, changed: 300, notFound: 19_700, failed: 0, errors: [] });
    expect(await tagged('signed-petition-62500')).toBe(300);
    expect(await reached('signed-petition-62500')).toBe(300);

    await tagList({ tag: 'signed-petition-62500', action: 'remove', emails: people.slice(0, 100) });
    expect(await reached('signed-petition-62500')).toBe(200);
  });
});

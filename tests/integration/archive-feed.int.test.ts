// The archive's feeds: RSS 2.0 at /archive/feed.xml and Atom at /archive/feed.atom, one per
// language of the organisation, listing what the archive lists (newest first, no private topic),
// as well-formed XML whatever a subject holds, and found from the archive's pages.
import parser from 'fast-xml-parser';
import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulletinDocument } from '../../src/bulletins/document.js';
import type { CampaignsTable } from '../../src/db/schema.js';
import { decodeHtml } from '../../src/render/html.js';
import { startTestApp, TEST_PUBLIC_URL, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { insertCampaign, sendableBulletin } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';

const SUBJECT = { en: 'Our new website, and a petition', es: 'Nueva web y una petición' };
const PREHEADER = { en: 'Sign before Friday, {{first_name|friend}}', es: 'Firma antes del viernes' };
const HOSTILE = { en: '<script>alert(1)</script> ]]> Tom & Jerry', es: 'Ñandú <b>]]></b> & co' };
const SENT_AT = '2025-03-04T15:00:00.000Z';
const EARLIER = '2025-01-10T15:00:00.000Z';

interface RssItem {
  title: string;
  link: string;
  guid: string;
  pubDate: string;
  description?: string;
}
/** Atom's texts carry type="html". */
interface AtomText {
  '#text': string;
  '@_type': string;
}
interface AtomEntry {
  title: AtomText;
  id: string;
  link: { '@_href': string };
  updated: string;
  summary?: AtomText;
}

/** The document as XML, refused unless well-formed; items and entries always as lists. */
function parseXml(xml: string) {
  expect(parser.validate(xml)).toBe(true);
  return parser.parse(xml, { ignoreAttributes: false, parseNodeValue: false, arrayMode: /^(item|entry)$/ });
}

describe.each(databaseKinds())('archive feeds on %s', (kind) => {
  let app: TestApp;
  const ids = { sent: 0, hostile: 0, privateTopic: 0, notPublished: 0 };
  const get = (path: string) => fetch(`${app.baseUrl}${path}`, { redirect: 'manual' });
  const rss = async (path: string) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    return parseXml(await res.text()).rss.channel as { title: string; language: string; item?: RssItem[] };
  };
  const atom = async (path: string) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    return parseXml(await res.text()).feed as { title: string; entry?: AtomEntry[] };
  };
  const idOf = (link: string) => Number(/\/archive\/(\d+)-/.exec(link)?.[1]);

  beforeAll(async () => {
    app = await startTestApp(kind);
    const bulletinId = await sendableBulletin(app);
    await app.request('PATCH', '/api/topics/weekly-bulletin', { json: { public: true } });
    await app.request('POST', '/api/topics', { json: { key: 'members', name: { en: 'Members' } } });
    const document = (subject: BulletinDocument['subject'], preheader?: BulletinDocument['preheader']) => ({
      ...exampleBulletin(),
      subject,
      preheader,
    });
    const plain = await app.stores.bulletins.save(bulletinId, document(SUBJECT, PREHEADER));
    const hostile = await app.stores.bulletins.save(bulletinId, document(HOSTILE, HOSTILE));
    const published = async (
      versionId: number,
      finishedAt: string,
      fields: Partial<Insertable<CampaignsTable>> = {},
    ) => {
      const id = await insertCampaign(
        app.db,
        { id: bulletinId, versionId },
        {
          rule: '{"tag":"press"}',
          topic: 'weekly-bulletin',
          state: 'sent',
          archive: 1,
          started_at: finishedAt,
          finished_at: finishedAt,
          ...fields,
        },
      );
      // A stand-in for the pages stored as the campaign was prepared: the feed reads none of them.
      await app.db.database.db
        .insertInto('archive_pages')
        .values(
          ['en', 'es'].map((language) => ({
            campaign_id: id,
            language,
            html: '<html><head></head><body></body></html>',
            created_at: finishedAt,
          })),
        )
        .execute();
      return id;
    };
    ids.sent = await published(plain.versionId, SENT_AT);
    ids.hostile = await published(hostile.versionId, EARLIER);
    ids.privateTopic = await published(plain.versionId, SENT_AT, { topic: 'members' });
    ids.notPublished = await published(plain.versionId, SENT_AT, { archive: 0 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("is RSS in the default language: the archive's bulletins, newest first, with their preheader", async () => {
    const res = await get('/archive/feed.xml');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    // A website's script may read it: it holds only what the archive shows anyone.
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const channel = await rss('/archive/feed.xml');
    expect(channel.language).toBe('en');
    expect(channel.title).toBe('Bulletin archive · NNIRR');
    const items = channel.item ?? [];
    expect(items.map((item) => idOf(item.link))).toEqual([ids.sent, ids.hostile]);
    const [first, second] = items;
    expect(first).toMatchObject({
      title: SUBJECT.en,
      link: `${TEST_PUBLIC_URL}/archive/${ids.sent}-our-new-website-and-a-petition?lang=en`,
      pubDate: new Date(SENT_AT).toUTCString(),
      // Placeholders filled as on the public copy: the fallback, never a person's name.
      description: 'Sign before Friday, friend',
    });
    // A plain-text title in RSS, the hostile subject as written; its summary is HTML, so escaped.
    expect(second!.title).toBe(HOSTILE.en);
    expect(decodeHtml(second!.description!)).toBe(HOSTILE.en);
    expect(second!.description).not.toContain('<script>');
  });

  it('is Atom in Spanish with ?lang=es, the hostile subject escaped as the HTML Atom reads', async () => {
    const feed = await atom('/archive/feed.atom?lang=es');
    const entries = feed.entry ?? [];
    expect(entries.map((entry) => idOf(entry.id))).toEqual([ids.sent, ids.hostile]);
    expect(entries[0]).toMatchObject({
      title: { '#text': SUBJECT.es, '@_type': 'html' },
      id: `${TEST_PUBLIC_URL}/archive/${ids.sent}-our-new-website-and-a-petition?lang=es`,
      updated: SENT_AT,
      summary: { '#text': PREHEADER.es, '@_type': 'html' },
    });
    expect(entries[0]!.link['@_href']).toBe(entries[0]!.id);
    expect(entries[1]!.title['#text']).toBe('Ñandú &lt;b&gt;]]&gt;&lt;/b&gt; &amp; co');
    expect(decodeHtml(entries[1]!.title['#text'])).toBe(HOSTILE.es);
    expect(feed.title).toBe('Archivo de boletines · NNIRR');
  });

  it('reads ?lang= as the public pages do, and refuses a language the organisation does not write in', async () => {
    expect((await rss('/archive/feed.xml?lang=ES-mx')).language).toBe('es');
    expect((await get('/archive/feed.xml?lang=fr')).status).toBe(404);
    expect((await get('/archive/feed.atom?lang=%3Cscript%3E')).status).toBe(404);
    expect((await get('/archive/feed.xml?lang=en&lang=es')).status).toBe(400);
  });

  it("never lists a private topic's bulletin or an unpublished one, in any language or format", async () => {
    const listed = [
      ...((await rss('/archive/feed.xml?lang=es')).item ?? []).map((item) => idOf(item.link)),
      ...((await atom('/archive/feed.atom')).entry ?? []).map((entry) => idOf(entry.id)),
    ];
    expect(listed).not.toContain(ids.privateTopic);
    expect(listed).not.toContain(ids.notPublished);
    expect(listed).toHaveLength(4);
  });

  it("is linked from the head of the archive's list and of a bulletin, in the page's language", async () => {
    const list = await (await get('/archive?lang=es')).text();
    const head = list.slice(0, list.indexOf('</head>'));
    expect(head).toContain('<link rel="alternate" type="application/rss+xml" href="/archive/feed.xml?lang=es"');
    expect(head).toContain('<link rel="alternate" type="application/atom+xml" href="/archive/feed.atom?lang=es"');
    const page = await (await get(`/archive/${ids.sent}-our-new-website-and-a-petition?lang=en`)).text();
    expect(page.slice(0, page.indexOf('</head>'))).toContain(
      '<link rel="alternate" type="application/rss+xml" href="/archive/feed.xml?lang=en"',
    );
  });
});

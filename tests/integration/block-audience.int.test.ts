// Blocks with an audience, sent for real: BullMQ on Redis, the worker in-process, the SES client
// against a scripted SES that records every message. Each reader's mail holds exactly the blocks
// their row matches (tags, attributes, language), in HTML and text; the archive holds none of
// them; a test send holds all, labelled; and a tag added during a send counts from the next batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulletinDocument } from '../../src/bulletins/document.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { ScriptedSes, type ReceivedMessage } from '../support/scripted-ses.js';

const SEND_TIMEOUT = 120_000;
const example = exampleBulletin();
/** The three blocks given an audience, by index in the example: a not-tag, an attribute, a language. */
const AUDIENCES = {
  7: { not: { tag: 'signed-petition' } },
  9: { attribute: 'organisation_type', op: 'eq', value: 'border' },
  5: { language: ['es'] },
} as const;
const BLOCKS = [7, 9, 5] as const;
const document = BulletinDocument.parse({
  ...example,
  blocks: example.blocks.map((b, i) => (i in AUDIENCES ? { ...b, audience: AUDIENCES[i as 7 | 9 | 5] } : b)),
});

/** Words of each block's heading found nowhere else in the mail (not in the subject or the preheader). */
const HEADINGS: Record<number, Record<'en' | 'es', string>> = {
  0: { en: 'Our new website is live', es: 'Estrenamos sitio web' },
  5: { en: 'promises still to keep', es: 'Los primeros 100 días de Biden' },
  7: { en: 'keep your promise to refugees', es: 'que Biden cumpla su promesa' },
  9: { en: 'Calling all migrant rights organizations', es: 'Organizaciones por los derechos migrantes' },
};
const headingOf = (block: number, language: 'en' | 'es') => HEADINGS[block]![language];

/** Which of the three blocks a mail holds, checked in its HTML and its text alike. */
function blocksIn(mail: ReceivedMessage, language: 'en' | 'es'): number[] {
  return BLOCKS.filter((block) => {
    const words = headingOf(block, language);
    const inHtml = mail.html.includes(words);
    expect(mail.text.includes(words), `block ${block} in the text part of ${mail.to}`).toBe(inHtml);
    return inHtml;
  });
}

interface Reader {
  email: string;
  language: string;
  tags: string[];
  attributes: Record<string, unknown>;
  /** The blocks with an audience this reader's mail holds. */
  sees: number[];
}

const READERS: Reader[] = [
  { email: 'plain@aud.org', language: 'en', tags: [], attributes: {}, sees: [7] },
  {
    email: 'signed-border@aud.org',
    language: 'en',
    tags: ['signed-petition', 'volunteer'],
    attributes: { organisation_type: 'border' },
    sees: [9],
  },
  {
    email: 'es-border@aud.org',
    language: 'es',
    tags: [],
    attributes: { organisation_type: 'border' },
    sees: [7, 9, 5],
  },
  { email: 'es-signed@aud.org', language: 'es', tags: ['signed-petition'], attributes: {}, sees: [5] },
  // French: the English copy, but a language rule reads the subscriber's own language, not the copy's.
  { email: 'fr-faith@aud.org', language: 'fr', tags: [], attributes: { organisation_type: 'faith' }, sees: [7] },
  {
    email: 'other-tag@aud.org',
    language: 'en',
    tags: ['press'],
    attributes: { organisation_type: 'Border' },
    sees: [7],
  },
];

describe.each(databaseKinds())('blocks with an audience on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let bulletinId: number;

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    // 5 a second: batches of 5, one a second.
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true, env: { SES_MAX_SEND_RATE: '5' } });
    bulletinId = await sendableBulletin(app, document);
    await app.request('PATCH', '/api/topics/weekly-bulletin', { json: { public: true } });
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  async function subscribe(reader: Omit<Reader, 'sees'>): Promise<number> {
    const res = await app.request('POST', '/api/subscribers', {
      json: { ...reader, status: 'active', topics: ['weekly-bulletin'] },
    });
    expect(res.status).toBe(201);
    return (await res.json()).id;
  }

  it(
    'sends each reader exactly the blocks their row matches, and the archive none of them',
    async () => {
      for (const { sees: _, ...reader } of READERS) await subscribe(reader);
      const campaign = await (
        await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
          json: { resend: true, rule: { emailDomain: 'aud.org' }, archive: true },
        })
      ).json();
      const report = await waitForCampaign(app, campaign.id, ['sent']);
      expect(report.counts).toMatchObject({ sent: READERS.length, total: READERS.length });

      const mails = ses.received.filter((m) => m.to.endsWith('@aud.org'));
      expect(mails.map((m) => m.to).sort()).toEqual(READERS.map((r) => r.email).sort());
      for (const reader of READERS) {
        const mail = mails.find((m) => m.to === reader.email)!;
        const language = reader.language === 'es' ? 'es' : 'en';
        expect(blocksIn(mail, language), reader.email).toEqual(reader.sees);
        // The blocks for everyone are there, and no bound or label leaks into a reader's mail.
        expect(mail.html).toContain(headingOf(0, language));
        expect(mail.text).toContain(headingOf(0, language));
        expect(mail.html + mail.text).not.toMatch(/%%pregon-block|Shown to:/);
      }

      for (const language of ['en', 'es'] as const) {
        const page = await (await fetch(`${app.baseUrl}/archive/${campaign.id}?lang=${language}`)).text();
        expect(page).toContain(headingOf(0, language));
        for (const block of BLOCKS)
          expect(page, `block ${block} in the archive`).not.toContain(headingOf(block, language));
      }
    },
    SEND_TIMEOUT,
  );

  it('sends a test copy with every block, each one with an audience labelled with its rule', async () => {
    const before = ses.received.length;
    const res = await app.request('POST', `/api/bulletins/${bulletinId}/test`, {
      json: { to: ['staff@aud-test.org'], lang: 'en' },
    });
    expect(res.status).toBe(200);
    const [copy] = ses.received.slice(before);
    expect(blocksIn(copy!, 'en')).toEqual([7, 9, 5]);
    for (const label of [
      'Shown to: readers without the tag signed-petition',
      'Shown to: readers whose attribute organisation_type is &quot;border&quot;',
      'Shown to: readers reading in Spanish',
    ])
      expect(copy!.html).toContain(label);
    expect(copy!.text).toContain('[Shown to: readers whose attribute organisation_type is "border"]');
    expect(copy!.html.indexOf('Shown to: readers without the tag')).toBeLessThan(
      copy!.html.indexOf(headingOf(7, 'en')),
    );
  });

  it('previews every block labelled, or as one subscriber or a made-up reader gets the mail', async () => {
    const preview = async (query: string) => {
      const res = await app.request('GET', `/api/bulletins/${bulletinId}/preview?${query}`);
      return { status: res.status, body: await res.text() };
    };
    const shown = async (query: string, language: 'en' | 'es') => {
      const html = (await preview(`${query}&format=html`)).body;
      const text = (await preview(`${query}&format=text`)).body;
      return BLOCKS.filter((b) => {
        const inHtml = html.includes(headingOf(b, language));
        expect(text.includes(headingOf(b, language)), `block ${b} in the text preview`).toBe(inHtml);
        return inHtml;
      });
    };

    const staff = await preview('lang=en');
    expect(staff.body).toContain('Shown to: readers without the tag signed-petition');
    expect(await shown('lang=en', 'en')).toEqual([7, 9, 5]);

    expect(await shown('lang=en&tags=signed-petition', 'en')).toEqual([]);
    expect(await shown('lang=es&tags=', 'es')).toEqual([7, 5]);
    expect((await preview('lang=en&tags=press,volunteer')).body).not.toContain('Shown to:');

    const found = await (await app.request('GET', '/api/subscribers?email=es-border@aud.org')).json();
    const esBorder = found.data[0].id;
    // In the subscriber's own language when `lang` is left out.
    expect(await shown(`subscriberId=${esBorder}`, 'es')).toEqual([7, 9, 5]);
    expect((await preview(`subscriberId=${esBorder}`)).body).toContain('lang="es"');

    const refusals = [
      ['subscriberId=999999', 'subscriberId'],
      ['subscriberId=abc', 'subscriberId'],
      [`subscriberId=${esBorder}&tags=a`, 'tags'],
      [`tags=${'x'.repeat(65)}`, 'tags[0]'],
      ['tags=a&format=mjml', 'tags'],
    ] as const;
    for (const [query, field] of refusals) {
      const res = await app.request('GET', `/api/bulletins/${bulletinId}/preview?${query}`);
      expect(res.status, query).toBe(400);
      const { error } = await res.json();
      expect(
        error.issues.map((i: { path: string }) => i.path),
        query,
      ).toContain(field);
    }
  });

  it(
    'applies a tag added during a send from the next batch on',
    async () => {
      // Eleven readers without the tag: batches of 5, so `first` goes in the first batch and `last` in the third.
      const ids: number[] = [];
      for (let i = 0; i < 11; i++)
        ids.push(await subscribe({ email: `mid${i}@mid.org`, language: 'en', tags: [], attributes: {} }));
      const [first, last] = [ids[0]!, ids[10]!];
      const db = app.db.database.db;
      // The first batch's first answer is held until both have the tag: the first batch read its
      // rows before, the third reads them after (checked: its rows were still queued then).
      let tagged!: Promise<string[]>;
      ses.hold = (to) => {
        if (to !== 'mid0@mid.org') return;
        tagged = (async () => {
          for (const id of [first, last]) {
            const res = await app.request('PATCH', `/api/subscribers/${id}`, { json: { tags: ['signed-petition'] } });
            expect(res.status).toBe(200);
          }
          const rows = await db.selectFrom('deliveries').select('status').where('subscriber_id', '=', last).execute();
          return rows.map((r) => r.status);
        })();
        return tagged.then(() => {});
      };
      const campaign = await (
        await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
          json: { resend: true, rule: { emailDomain: 'mid.org' } },
        })
      ).json();
      await waitForCampaign(app, campaign.id, ['sent']);
      ses.hold = () => {};
      expect(await tagged).toEqual(['queued']);

      const mails = ses.received.filter((m) => m.to.endsWith('@mid.org'));
      expect(mails).toHaveLength(11);
      const petition = (to: string) => blocksIn(mails.find((m) => m.to === to)!, 'en').includes(7);
      // Read at the first batch, before the tag: the petition block.
      expect(petition('mid0@mid.org')).toBe(true);
      // Read at the third batch, after it: no petition block; the others, untagged, still get it.
      expect(petition('mid10@mid.org')).toBe(false);
      for (let i = 1; i < 10; i++) expect(petition(`mid${i}@mid.org`)).toBe(true);
    },
    SEND_TIMEOUT,
  );
});

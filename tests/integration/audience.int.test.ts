// The audience API end to end: previews with exclusion reasons, real segment rules, rule
// validation, saved segments, the suppression list and reserved attribute names. Everything is
// set up through the API, as a client would. The tests share one population and run in order;
// those that add people (suppressions, attributes) come last.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const REASONS = [
  'unsubscribed',
  'unconfirmed',
  'bounced',
  'complained',
  'paused',
  'suppressed',
  'not_in_topic',
] as const;
type Reason = (typeof REASONS)[number];

interface Preview {
  selected: number;
  eligible: number;
  excluded: Record<Reason, number>;
  byLanguage: Record<string, number>;
  sample: { id: number; email: string; name: string; language: string }[];
}

interface Person {
  email: string;
  language: string;
  topics: string[];
  tags?: string[];
  attributes?: Record<string, unknown>;
  /** Left out: created pending (no status sent). */
  pending?: true;
  /** Set by PATCH after creation. */
  status?: 'unsubscribed' | 'bounced' | 'complained';
  paused?: true;
  suppressed?: true;
}

const future = () => new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();

// 11 people who can be mailed, then one for each exclusion reason.
const PEOPLE: Person[] = [
  {
    email: 'ana@example.org',
    language: 'es',
    topics: ['border', 'refugees'],
    attributes: { state: 'TX', age: 42, joined: '2024-05-01' },
  },
  { email: 'beto@example.org', language: 'es', topics: ['refugees'], attributes: { state: 'AZ', age: '55' } },
  { email: 'carmen@example.org', language: 'es', topics: ['border'], attributes: { state: 'CA', age: 39 } },
  { email: 'diego@example.net', language: 'es', topics: ['refugees'], attributes: { state: 'NY', age: '39' } },
  {
    email: 'emma@example.org',
    language: 'en',
    topics: ['border', 'weekly-bulletin'],
    tags: ['press'],
    attributes: { state: 'TX', age: 40 },
  },
  // active, but not in the border topic
  {
    email: 'frank@example.net',
    language: 'en',
    topics: ['weekly-bulletin'],
    tags: ['press'],
    attributes: { age: '40', joined: '2025-03-01' },
  },
  {
    email: 'gisele@example.org',
    language: 'fr',
    topics: ['border', 'refugees'],
    attributes: { state: 'AZ', age: 'forty', joined: '2024-12-31T23:00:00Z' },
  },
  { email: 'hugo@example.org', language: 'fr', topics: ['border'], attributes: { joined: '2025-01-01' } },
  {
    email: 'ines@example.com',
    language: 'es',
    topics: ['border', 'refugees'],
    tags: ['volunteer'],
    attributes: { state: 'TX', age: 18 },
  },
  { email: 'jules@example.org', language: 'fr', topics: ['border'], attributes: { age: 70.5 } },
  {
    email: 'kim@mail.example.org',
    language: 'en',
    topics: ['refugees'],
    attributes: { state: 'CA', joined: 20240101 },
  },
  // excluded, one reason each
  {
    email: 'pending@example.org',
    language: 'es',
    topics: ['border', 'refugees'],
    attributes: { state: 'TX' },
    pending: true,
  },
  // unsubscribed and in no topic: counted once, under unsubscribed
  { email: 'unsub@example.org', language: 'es', topics: [], attributes: { state: 'TX' }, status: 'unsubscribed' },
  { email: 'bounced@example.org', language: 'en', topics: ['border'], status: 'bounced' },
  {
    email: 'complained@example.org',
    language: 'en',
    topics: ['weekly-bulletin'],
    tags: ['press'],
    status: 'complained',
  },
  {
    email: 'paused@example.org',
    language: 'es',
    topics: ['border', 'refugees'],
    attributes: { state: 'AZ' },
    paused: true,
  },
  { email: 'suppressed@example.org', language: 'en', topics: ['border'], attributes: { age: '60' }, suppressed: true },
];
const ELIGIBLE = PEOPLE.filter((p) => !p.pending && !p.status && !p.paused && !p.suppressed).map((p) => p.email);
const noneExcluded = (): Record<Reason, number> =>
  Object.fromEntries(REASONS.map((r) => [r, 0])) as Record<Reason, number>;

describe.each(databaseKinds())('audience API on %s', (kind) => {
  let app: TestApp;
  const ids = new Map<string, number>();
  const id = (email: string) => ids.get(email)!;

  const previewRes = (body: unknown) => app.request('POST', '/api/audience/preview', { json: body });
  const preview = async (body: unknown): Promise<Preview> => {
    const res = await previewRes(body);
    expect(res.status, JSON.stringify(body)).toBe(200);
    const result = (await res.json()) as Preview;
    // the numbers always add up, whatever the rule
    expect(result.selected).toBe(result.eligible + Object.values(result.excluded).reduce((a, b) => a + b, 0));
    expect(Object.values(result.byLanguage).reduce((a, b) => a + b, 0)).toBe(result.eligible);
    return result;
  };
  const sampleEmails = (p: Preview) => p.sample.map((s) => s.email).sort();
  const issuePaths = async (res: Response): Promise<string[]> => {
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_input');
    return body.error.issues.map((i: { path: string }) => i.path);
  };
  const patch = (email: string, json: unknown) => app.request('PATCH', `/api/subscribers/${id(email)}`, { json });
  const subscriberCount = async (email: string) =>
    (await (await app.request('GET', `/api/subscribers?email=${encodeURIComponent(email)}`)).json()).total as number;

  beforeAll(async () => {
    app = await startTestApp(kind);
    for (const key of ['border', 'refugees', 'weekly-bulletin']) {
      const res = await app.request('POST', '/api/topics', { json: { key, name: { en: key } } });
      expect(res.status).toBe(201);
    }
    for (const p of PEOPLE) {
      const res = await app.request('POST', '/api/subscribers', {
        json: {
          email: p.email,
          name: p.email.split('@')[0],
          language: p.language,
          topics: p.topics,
          tags: p.tags ?? [],
          attributes: p.attributes ?? {},
          ...(p.pending ? {} : { status: 'active' }),
        },
      });
      expect(res.status, p.email).toBe(201);
      const created = await res.json();
      expect(created.status).toBe(p.pending ? 'pending' : 'active');
      ids.set(p.email, created.id);
      if (p.status) expect((await patch(p.email, { status: p.status })).status).toBe(200);
      if (p.paused) {
        const paused = await patch(p.email, { pausedUntil: future() });
        expect(paused.status).toBe(200);
        expect((await paused.json()).pausedUntil).toEqual(expect.any(String));
      }
      if (p.suppressed)
        expect((await app.request('POST', '/api/suppressions', { json: { email: p.email } })).status).toBe(201);
    }
  });
  afterAll(() => app?.close());

  describe('preview', () => {
    it('counts everyone a rule selects, each excluded person under one reason, samples only the eligible', async () => {
      const everyone = await preview({ rule: { all: [] } });
      expect(everyone.selected).toBe(PEOPLE.length);
      expect(everyone.eligible).toBe(ELIGIBLE.length);
      expect(everyone.excluded).toEqual({
        ...noneExcluded(),
        unsubscribed: 1,
        unconfirmed: 1,
        bounced: 1,
        complained: 1,
        paused: 1,
        suppressed: 1,
      });
      expect(everyone.byLanguage).toEqual({ es: 5, en: 3, fr: 3 });

      // 11 eligible: the sample stops at 10, the first by id, with exactly these fields
      expect(everyone.sample).toHaveLength(10);
      expect(everyone.sample.map((s) => s.email)).toEqual(ELIGIBLE.slice(0, 10));
      expect(everyone.sample[0]).toEqual({
        id: id('ana@example.org'),
        email: 'ana@example.org',
        name: 'ana',
        language: 'es',
      });
      for (const s of everyone.sample) expect(Object.keys(s).sort()).toEqual(['email', 'id', 'language', 'name']);
    });

    it('with a topic, excludes the otherwise eligible not in it; an earlier reason beats not_in_topic', async () => {
      const border = await preview({ rule: { all: [] }, topic: 'border' });
      expect(border.selected).toBe(PEOPLE.length);
      // beto, diego, frank and kim are active but not on border; unsub (no topics) counts as unsubscribed,
      // complained (weekly-bulletin only) as complained
      expect(border.excluded).toEqual({
        ...noneExcluded(),
        unsubscribed: 1,
        unconfirmed: 1,
        bounced: 1,
        complained: 1,
        paused: 1,
        suppressed: 1,
        not_in_topic: 4,
      });
      expect(border.eligible).toBe(7);
      expect(border.byLanguage).toEqual({ es: 3, en: 1, fr: 3 });
      expect(sampleEmails(border)).toEqual(
        [
          'ana@example.org',
          'carmen@example.org',
          'emma@example.org',
          'gisele@example.org',
          'hugo@example.org',
          'ines@example.com',
          'jules@example.org',
        ].sort(),
      );
    });

    it('counts someone paused until a past date, or no longer paused, as eligible again', async () => {
      const email = 'paused@example.org';
      const counts = async () => {
        const p = await preview({ rule: { all: [] } });
        return { paused: p.excluded.paused, eligible: p.eligible, inSample: p.sample.some((s) => s.email === email) };
      };
      expect(await counts()).toEqual({ paused: 1, eligible: 11, inSample: false });

      const past = await patch(email, { pausedUntil: '2020-01-01T00:00:00Z' });
      expect(past.status).toBe(200);
      expect((await past.json()).pausedUntil).toBe('2020-01-01T00:00:00.000Z');
      expect((await counts()).paused).toBe(0);
      const rule = { all: [{ language: ['es'] }, { attribute: 'state', op: 'eq', value: 'AZ' }] };
      const azSpanish = await preview({ rule });
      expect(azSpanish).toMatchObject({ selected: 2, eligible: 2, excluded: noneExcluded() });
      expect(sampleEmails(azSpanish)).toEqual(['beto@example.org', email]);

      expect((await patch(email, { pausedUntil: future() })).status).toBe(200);
      expect(await counts()).toEqual({ paused: 1, eligible: 11, inSample: false });

      const cleared = await patch(email, { pausedUntil: null });
      expect(cleared.status).toBe(200);
      expect((await cleared.json()).pausedUntil).toBeNull();
      expect((await preview({ rule })).eligible).toBe(2);
      expect((await counts()).paused).toBe(0);

      // back as it was, for the tests that follow
      expect((await patch(email, { pausedUntil: future() })).status).toBe(200);
      expect((await counts()).paused).toBe(1);
    });

    it('lets an editor preview', async () => {
      const res = await app.request('POST', '/api/audience/preview', {
        token: app.editorToken,
        json: { rule: { all: [] } },
      });
      expect(res.status).toBe(200);
      expect(
        (await app.request('POST', '/api/audience/preview', { token: null, json: { rule: { all: [] } } })).status,
      ).toBe(401);
    });
  });

  describe('real rules', () => {
    it('finds Spanish speakers in border states who follow refugee news', async () => {
      const rule = {
        all: [
          { language: ['es'] },
          { attribute: 'state', op: 'in', value: ['TX', 'AZ', 'NM', 'CA'] },
          { topic: 'refugees' },
        ],
      };
      const p = await preview({ rule });
      // carmen (CA) follows only border; diego lives in NY; unsub follows nothing
      expect(sampleEmails(p)).toEqual(['ana@example.org', 'beto@example.org', 'ines@example.com']);
      expect(p).toMatchObject({
        selected: 5,
        eligible: 3,
        excluded: { ...noneExcluded(), unconfirmed: 1, paused: 1 },
        byLanguage: { es: 3 },
      });
    });

    it('selects everyone except those tagged press', async () => {
      const p = await preview({ rule: { not: { tag: 'press' } } });
      expect(p.selected).toBe(PEOPLE.length - 3);
      expect(p.excluded.complained).toBe(0);
      expect(sampleEmails(p)).toEqual(
        ELIGIBLE.filter((e) => !['emma@example.org', 'frank@example.net'].includes(e)).sort(),
      );
    });

    it('compares numbers with numbers and with texts that read as numbers', async () => {
      const p = await preview({ rule: { attribute: 'age', op: 'gte', value: 40 } });
      // 42, 40 and 70.5 as numbers, "55" and "40" as texts; not 39, "39", 18 or "forty"
      expect(sampleEmails(p)).toEqual([
        'ana@example.org',
        'beto@example.org',
        'emma@example.org',
        'frank@example.net',
        'jules@example.org',
      ]);
      expect(p).toMatchObject({ selected: 6, excluded: { suppressed: 1 } }); // and the suppressed "60"

      const under40 = await preview({ rule: { attribute: 'age', op: 'lt', value: 40 } });
      expect(sampleEmails(under40)).toEqual(['carmen@example.org', 'diego@example.net', 'ines@example.com']);
    });

    it('compares ISO dates at day precision and ignores values that are not dates', async () => {
      const p = await preview({ rule: { attribute: 'joined', op: 'lt', value: '2025-01-01' } });
      // ana 2024-05-01 and gisele 2024-12-31T23:00Z; not hugo (2025-01-01), frank (2025-03-01) or kim (a number)
      expect(sampleEmails(p)).toEqual(['ana@example.org', 'gisele@example.org']);
      expect(p.selected).toBe(2);
    });

    it('matches an email domain exactly, not its subdomains', async () => {
      const p = await preview({ rule: { emailDomain: 'example.org' } });
      expect(sampleEmails(p)).toEqual(
        [
          'ana@example.org',
          'beto@example.org',
          'carmen@example.org',
          'emma@example.org',
          'gisele@example.org',
          'hugo@example.org',
          'jules@example.org',
        ].sort(),
      );
      expect(p.selected).toBe(PEOPLE.filter((x) => x.email.endsWith('@example.org')).length);
      expect((await preview({ rule: { emailDomain: 'Example.NET' } })).selected).toBe(2);
    });

    it('selects everyone who subscribed after 2000', async () => {
      const p = await preview({ rule: { subscribed: { after: '2000-01-01' } } });
      const everyone = await preview({ rule: { all: [] } });
      expect(p).toEqual(everyone);
      expect(p.selected).toBe(PEOPLE.length);
      expect((await preview({ rule: { subscribed: { before: '2000-01-01' } } })).selected).toBe(0);
    });
    it('selects who received a campaign, and who did not, from its delivery ledger', async () => {
      const bulletin = await (
        await app.request('POST', '/api/bulletins', {
          json: { version: 1, title: 'sent before', languages: ['en'], subject: { en: 's' }, blocks: [] },
        })
      ).json();
      const campaignId = await insertCampaign(app.db, { id: bulletin.id, versionId: bulletin.versionId });
      // SES took ana's, may have taken beto's (unknown); carmen's failed, diego's was skipped
      const statuses = {
        'ana@example.org': 'sent',
        'beto@example.org': 'unknown',
        'carmen@example.org': 'failed',
        'diego@example.net': 'skipped',
      } as const;
      await app.db.database.db
        .insertInto('deliveries')
        .values(
          Object.entries(statuses).map(([email, status]) => ({
            campaign_id: campaignId,
            subscriber_id: id(email),
            language: 'es',
            status,
            updated_at: new Date().toISOString(),
          })),
        )
        .execute();

      const received = await preview({ rule: { campaign: campaignId, received: true } });
      expect(received.selected).toBe(2);
      expect(sampleEmails(received)).toEqual(['ana@example.org', 'beto@example.org']);
      const notReceived = await preview({
        rule: { all: [{ campaign: campaignId, received: false }, { language: ['es'] }] },
      });
      expect(sampleEmails(notReceived)).toEqual(['carmen@example.org', 'diego@example.net', 'ines@example.com']);
      expect((await preview({ rule: { campaign: campaignId + 1, received: false } })).selected).toBe(PEOPLE.length);
    });
  });

  describe('rule validation', () => {
    it('names the path of an unknown op, field or extra key', async () => {
      const cases: [unknown, string][] = [
        [{ all: [{ tag: 'x' }, { attribute: 'state', op: 'like', value: 'T%' }] }, 'rule.all[1].op'],
        [{ all: [{ colour: 'red' }] }, 'rule.all[0].colour'],
        [{ tag: 'x', extra: 1 }, 'rule.extra'],
        [{ attribute: 'a', op: 'exists', value: 1 }, 'rule.value'],
        [{ attribute: '__proto__', op: 'exists' }, 'rule.attribute'],
        [{ any: [{ not: { language: [] } }] }, 'rule.any[0].not.language'],
        ['everyone', 'rule'],
      ];
      for (const [rule, path] of cases) {
        const paths = await issuePaths(await previewRes({ rule }));
        expect(paths, JSON.stringify(rule)).toContain(path);
      }
    });

    it('refuses a rule nested too deep', async () => {
      let rule: unknown = { tag: 'press' };
      for (let i = 0; i < 20; i++) rule = { not: rule };
      const res = await previewRes({ rule });
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(
        error.issues.some(
          (i: { path: string; message: string }) => i.path.startsWith('rule.not') && /deep/.test(i.message),
        ),
      ).toBe(true);
    });

    it('needs exactly one of rule and segmentId, a known topic and no other field', async () => {
      const neither = await previewRes({ topic: 'border' });
      expect(neither.status).toBe(400);
      expect((await neither.json()).error.message).toMatch(/rule or segmentId/);
      expect((await previewRes({ rule: { all: [] }, segmentId: 1 })).status).toBe(400);
      expect(await issuePaths(await previewRes({ rule: { all: [] }, topic: 'no-such-topic' }))).toEqual(['topic']);
      expect(await issuePaths(await previewRes({ rule: { all: [] }, topic: 'Not A Key' }))).toEqual(['topic']);
      // an unknown top-level field is named by its own path
      expect(await issuePaths(await previewRes({ rule: { all: [] }, colour: 'red' }))).toEqual(['colour']);
      // impossible days, and times without a zone, are refused
      expect(await issuePaths(await previewRes({ rule: { subscribed: { after: '2024-02-30' } } }))).toEqual([
        'rule.subscribed.after',
      ]);
      expect(await issuePaths(await previewRes({ rule: { subscribed: { after: '2024-01-01T10:00' } } }))).toEqual([
        'rule.subscribed.after',
      ]);
      expect(
        await issuePaths(await previewRes({ rule: { attribute: 'joined', op: 'gt', value: '2024-02-30' } })),
      ).toEqual(['rule.value']);
    });
  });

  describe('segments', () => {
    const rule = {
      all: [
        { language: ['es'] },
        { attribute: 'state', op: 'in', value: ['TX', 'AZ', 'NM', 'CA'] },
        { topic: 'refugees' },
      ],
    };

    it('refuses to delete a segment an unfinished campaign uses, and allows it once the campaign is over', async () => {
      const segment = await (
        await app.request('POST', '/api/segments', { json: { name: 'In use', rule: { tag: 'press' } } })
      ).json();
      const bulletin = await (
        await app.request('POST', '/api/bulletins', {
          json: { version: 1, title: 'b', languages: ['en'], subject: { en: 's' }, blocks: [] },
        })
      ).json();
      // A campaign row as a scheduled send leaves it (the sending API is tested with the worker).
      const db = app.db.database.db;
      const campaignId = await insertCampaign(app.db, bulletin, {
        segment_id: segment.id,
        rule: '{"tag":"press"}',
        state: 'scheduled',
        started_at: null,
        finished_at: null,
      });
      const refused = await app.request('DELETE', `/api/segments/${segment.id}`);
      expect(refused.status).toBe(409);
      expect((await refused.json()).error.message).toContain(`campaign ${campaignId}`);
      expect((await app.request('DELETE', `/api/bulletins/${bulletin.id}`)).status).toBe(409);

      await db.updateTable('campaigns').set({ state: 'sent' }).where('id', '=', campaignId).execute();
      expect((await app.request('DELETE', `/api/segments/${segment.id}`)).status).toBe(204);
      const kept = await db
        .selectFrom('campaigns')
        .select(['segment_id', 'rule'])
        .where('id', '=', campaignId)
        .executeTakeFirstOrThrow();
      expect(kept.segment_id).toBeNull(); // the campaign keeps its own copy of the rule
    });

    it('saves, lists, renames, changes and deletes a segment; a segment previews as its rule', async () => {
      const created = await app.request('POST', '/api/segments', {
        token: app.editorToken,
        json: { name: 'Border Spanish', rule },
      });
      expect(created.status).toBe(201);
      const segment = await created.json();
      expect(segment).toEqual({
        id: expect.any(Number),
        name: 'Border Spanish',
        rule,
        ruleVersion: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });

      const list = await (await app.request('GET', '/api/segments')).json();
      expect(list.data).toEqual([segment]);
      expect(await (await app.request('GET', `/api/segments/${segment.id}`)).json()).toEqual(segment);

      expect(await preview({ segmentId: segment.id })).toEqual(await preview({ rule }));
      expect(await preview({ segmentId: segment.id, topic: 'border' })).toEqual(
        await preview({ rule, topic: 'border' }),
      );

      const renamed = await app.request('PATCH', `/api/segments/${segment.id}`, { json: { name: 'Frontera' } });
      expect(renamed.status).toBe(200);
      expect(await renamed.json()).toMatchObject({ id: segment.id, name: 'Frontera', rule, ruleVersion: 1 });

      const press = { tag: 'press' };
      const changed = await app.request('PATCH', `/api/segments/${segment.id}`, { json: { rule: press } });
      expect(changed.status).toBe(200);
      expect(await changed.json()).toMatchObject({ name: 'Frontera', rule: press, ruleVersion: 1 });
      expect(await preview({ segmentId: segment.id })).toEqual(await preview({ rule: press }));

      expect(
        await issuePaths(await app.request('PATCH', `/api/segments/${segment.id}`, { json: { rule: { tag: '' } } })),
      ).toEqual(['rule.tag']);
      expect((await app.request('PATCH', `/api/segments/${segment.id}`, { json: {} })).status).toBe(400);
      expect((await app.request('GET', `/api/segments/${segment.id}`)).status).toBe(200);

      expect((await app.request('DELETE', `/api/segments/${segment.id}`)).status).toBe(204);
      expect((await app.request('GET', `/api/segments/${segment.id}`)).status).toBe(404);
      expect((await app.request('DELETE', `/api/segments/${segment.id}`)).status).toBe(404);
      expect((await app.request('PATCH', `/api/segments/${segment.id}`, { json: { name: 'x' } })).status).toBe(404);
      const gone = await previewRes({ segmentId: segment.id });
      expect(gone.status).toBe(404);
      expect((await gone.json()).error.code).toBe('not_found');
      expect((await (await app.request('GET', '/api/segments')).json()).data).toEqual([]);
    });

    it('refuses an invalid rule naming its path, and saves nothing', async () => {
      const res = await app.request('POST', '/api/segments', {
        json: { name: 'Bad', rule: { any: [{ tag: 'press' }, { attribute: 'age', op: 'gte', value: 'forty' }] } },
      });
      expect(await issuePaths(res)).toEqual(['rule.any[1].value']);
      expect(
        await issuePaths(await app.request('POST', '/api/segments', { json: { name: '  ', rule: { all: [] } } })),
      ).toEqual(['name']);
      expect(await issuePaths(await app.request('POST', '/api/segments', { json: { name: 'No rule' } }))).toContain(
        'rule',
      );
      expect((await (await app.request('GET', '/api/segments')).json()).data).toEqual([]);
    });
  });

  describe('suppressions', () => {
    it('keeps a hash, never the address, and finds an address by it', async () => {
      const res = await app.request('POST', '/api/suppressions', {
        token: app.editorToken,
        json: { email: 'Someone@Example.org' },
      });
      expect(res.status).toBe(201);
      const text = await res.text();
      expect(text.toLowerCase()).not.toContain('someone');
      const suppression = JSON.parse(text);
      expect(suppression).toEqual({
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        reason: 'manual',
        createdAt: expect.any(String),
      });
      expect(suppression.hash).toBe(app.suppressions.hash('someone@example.org'));

      // adding it again is harmless
      expect((await app.request('POST', '/api/suppressions', { json: { email: 'someone@example.org' } })).status).toBe(
        201,
      );

      const all = await app.request('GET', '/api/suppressions');
      expect(all.status).toBe(200);
      const listText = await all.text();
      expect(listText).not.toContain('@');
      const list = JSON.parse(listText);
      expect(list.total).toBe(2); // and suppressed@example.org from the setup
      expect(list.data).toContainEqual(suppression);

      const found = await (await app.request('GET', '/api/suppressions?email=someone@example.org')).json();
      expect(found).toEqual({ data: [suppression], total: 1 });
      expect((await (await app.request('GET', '/api/suppressions?email=SOMEONE@example.org')).json()).total).toBe(1);
      expect(await (await app.request('GET', '/api/suppressions?email=other@example.org')).json()).toEqual({
        data: [],
        total: 0,
      });
      expect(await issuePaths(await app.request('GET', '/api/suppressions?email=nope'))).toEqual(['email']);
      expect(
        await issuePaths(
          await app.request('POST', '/api/suppressions', { json: { email: 'x@example.org', reason: 'erased' } }),
        ),
      ).toEqual(['reason']);
    });

    it('keeps a suppressed address from being added or imported', async () => {
      const created = await app.request('POST', '/api/subscribers', {
        json: { email: 'someone@example.org', status: 'active' },
      });
      expect(created.status).toBe(409);
      expect((await created.json()).error.code).toBe('suppressed');

      const imported = await app.request('POST', '/api/subscribers/import', {
        body: 'email,name\nSomeone@example.org,Someone\n',
        headers: { 'content-type': 'text/csv' },
      });
      expect(imported.status).toBe(200);
      const report = await imported.json();
      expect(report).toMatchObject({ rows: 1, created: 0, merged: 0, failed: 1 });
      expect(report.errors).toEqual([
        { line: 2, email: 'someone@example.org', message: expect.stringMatching(/suppressed/) },
      ]);
      expect(await subscriberCount('someone@')).toBe(0);
    });

    it('takes an address off the list for an admin only, and then it can be added', async () => {
      const hash = app.suppressions.hash('someone@example.org');
      const editor = await app.request('DELETE', `/api/suppressions/${hash}`, { token: app.editorToken });
      expect(editor.status).toBe(403);
      expect((await (await app.request('GET', '/api/suppressions?email=someone@example.org')).json()).total).toBe(1);

      expect((await app.request('DELETE', `/api/suppressions/${hash}`)).status).toBe(204);
      expect((await (await app.request('GET', '/api/suppressions?email=someone@example.org')).json()).total).toBe(0);
      expect((await app.request('DELETE', `/api/suppressions/${hash}`)).status).toBe(404);
      expect((await app.request('DELETE', `/api/suppressions/${'0'.repeat(64)}`)).status).toBe(404);
      expect(await issuePaths(await app.request('DELETE', '/api/suppressions/not-a-hash'))).toEqual(['hash']);
      expect(await issuePaths(await app.request('DELETE', `/api/suppressions/${hash.toUpperCase()}`))).toEqual([
        'hash',
      ]);

      const created = await app.request('POST', '/api/subscribers', { json: { email: 'someone@example.org' } });
      expect(created.status).toBe(201);
    });
  });

  describe('reserved attribute names', () => {
    it('refuses a __proto__ attribute instead of dropping it', async () => {
      const res = await app.request('POST', '/api/subscribers', {
        body: '{"email":"p@example.org","attributes":{"__proto__":"x"}}',
        headers: { 'content-type': 'application/json' },
      });
      expect(await issuePaths(res)).toEqual(['attributes.__proto__']);
      expect(await subscriberCount('p@example.org')).toBe(0);

      const patched = await app.request('PATCH', `/api/subscribers/${id('ana@example.org')}`, {
        body: '{"attributes":{"state":"TX","__proto__":{"admin":true}}}',
        headers: { 'content-type': 'application/json' },
      });
      expect(await issuePaths(patched)).toEqual(['attributes.__proto__']);
      const ana = await (await app.request('GET', `/api/subscribers/${id('ana@example.org')}`)).json();
      expect(ana.attributes).toEqual({ state: 'TX', age: 42, joined: '2024-05-01' });
    });

    it('refuses a CSV import with a __proto__ column and imports nothing', async () => {
      for (const column of ['__proto__', 'constructor']) {
        const res = await app.request('POST', '/api/subscribers/import', {
          body: `email,${column}\nq@example.org,x\nr@example.org,y\n`,
          headers: { 'content-type': 'text/csv' },
        });
        expect(res.status, column).toBe(400);
        const { error } = await res.json();
        expect(error.code).toBe('invalid_input');
        expect(error.message).toContain(column);
        expect(await subscriberCount('q@example.org')).toBe(0);
        expect(await subscriberCount('r@example.org')).toBe(0);
      }
    });
  });
});

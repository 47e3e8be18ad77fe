// Blocks with an audience, as staff see them before a send: the preview's count per conditional
// block (POST /api/audience/preview with bulletinId), and the pre-send checks' warnings on a block
// shown to nobody and a rule naming a tag nobody has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/databases.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

interface Person {
  email: string;
  language: string;
  topics: string[];
  tags: string[];
  status?: 'pending' | 'unsubscribed';
}

// Five who can be mailed on "border", one active elsewhere, and two who cannot be mailed.
const PEOPLE: Person[] = [
  { email: 'ana@example.org', language: 'es', topics: ['border'], tags: ['signed-petition'] },
  { email: 'beto@example.org', language: 'es', topics: ['border'], tags: ['signed-petition', 'donor'] },
  { email: 'carmen@example.org', language: 'en', topics: ['border'], tags: [] },
  { email: 'diego@example.org', language: 'en', topics: ['border'], tags: ['donor'] },
  { email: 'emma@example.org', language: 'en', topics: ['border'], tags: [] },
  { email: 'frank@example.org', language: 'en', topics: ['weekly'], tags: ['signed-petition', 'volunteer'] },
  { email: 'gina@example.org', language: 'en', topics: ['border'], tags: ['volunteer'], status: 'pending' },
  { email: 'hugo@example.org', language: 'en', topics: ['border'], tags: ['volunteer'], status: 'unsubscribed' },
];

const BLOCKS = [
  { type: 'text', body: { en: 'For everyone' } },
  { type: 'text', body: { en: 'Thank you for signing' }, audience: { tag: 'signed-petition' } },
  {
    type: 'call_to_action',
    heading: { en: 'Sign the petition' },
    body: { en: 'It takes a minute' },
    audience: { not: { tag: 'signed-petition' } },
  },
  { type: 'divider' },
  // volunteers: frank is on another topic, gina pending and hugo gone; nobody eligible on border
  { type: 'text', body: { en: 'Volunteers' }, audience: { tag: 'volunteer' } },
  {
    type: 'text',
    body: { en: 'Donors in Spanish' },
    audience: { all: [{ language: ['es'] }, { any: [{ tag: 'donor' }, { tag: 'donr' }] }] },
  },
];

describe.each(databaseKinds())('blocks with an audience on %s', (kind) => {
  let app: TestApp;
  let bulletinId: number;
  const preview = (json: unknown) => app.request('POST', '/api/audience/preview', { json });
  const createBulletin = async (topic: string | undefined, blocks: unknown[]) => {
    const res = await app.request('POST', '/api/bulletins', {
      json: {
        version: 1,
        title: 'Petition',
        languages: ['en'],
        subject: { en: 'Sign' },
        blocks,
        ...(topic ? { topic } : {}),
      },
    });
    expect(res.status).toBe(201);
    return (await res.json()).id as number;
  };
  const warnings = async (id: number) => {
    const res = await app.request('GET', `/api/bulletins/${id}/checks`);
    expect(res.status).toBe(200);
    const { findings } = (await res.json()) as {
      findings: { level: string; code: string; block?: number; message: string }[];
    };
    return findings.filter((f) => f.code === 'block_shown_to_nobody' || f.code === 'unknown_tag');
  };

  beforeAll(async () => {
    app = await startTestApp(kind);
    for (const key of ['border', 'weekly']) {
      expect((await app.request('POST', '/api/topics', { json: { key, name: { en: key } } })).status).toBe(201);
    }
    for (const p of PEOPLE) {
      const res = await app.request('POST', '/api/subscribers', {
        json: {
          email: p.email,
          language: p.language,
          topics: p.topics,
          tags: p.tags,
          status: p.status === 'pending' ? 'pending' : 'active',
        },
      });
      expect(res.status, p.email).toBe(201);
      if (p.status === 'unsubscribed') {
        const { id } = await res.json();
        expect(
          (await app.request('PATCH', `/api/subscribers/${id}`, { json: { status: 'unsubscribed' } })).status,
        ).toBe(200);
      }
    }
    bulletinId = await createBulletin('border', BLOCKS);
  });
  afterAll(() => app?.close());

  describe('the preview with bulletinId', () => {
    it('counts, for each block with an audience, the eligible readers who see it', async () => {
      const res = await preview({ rule: { all: [] }, topic: 'border', bulletinId });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.eligible).toBe(5);
      expect(body.blocks).toEqual([
        { index: 1, type: 'text', shown: 2 },
        { index: 2, type: 'call_to_action', shown: 3 },
        { index: 4, type: 'text', shown: 0 },
        { index: 5, type: 'text', shown: 1 },
      ]);
    });

    it("counts within the campaign's own rule, and a segment's", async () => {
      const english = await (await preview({ rule: { language: ['en'] }, topic: 'border', bulletinId })).json();
      expect(english.eligible).toBe(3);
      expect(english.blocks.map((b: { shown: number }) => b.shown)).toEqual([0, 3, 0, 0]);

      // without the topic, frank (weekly) is eligible too: he signed and volunteers
      const everyone = await (await preview({ rule: { all: [] }, bulletinId })).json();
      expect(everyone.eligible).toBe(6);
      expect(everyone.blocks.map((b: { shown: number }) => b.shown)).toEqual([3, 3, 1, 1]);

      const segment = await (
        await app.request('POST', '/api/segments', { json: { name: 'Spanish', rule: { language: ['es'] } } })
      ).json();
      const bySegment = await (await preview({ segmentId: segment.id, topic: 'border', bulletinId })).json();
      expect(bySegment.blocks.map((b: { shown: number }) => b.shown)).toEqual([2, 0, 0, 1]);
    });

    it('answers no blocks without bulletinId, and an empty list for a bulletin with no conditional block', async () => {
      const plain = await (await preview({ rule: { all: [] } })).json();
      expect(plain).not.toHaveProperty('blocks');
      const unconditional = await createBulletin(undefined, [{ type: 'text', body: { en: 'Hello' } }]);
      const none = await (await preview({ rule: { all: [] }, bulletinId: unconditional })).json();
      expect(none.blocks).toEqual([]);
    });

    it('refuses an unknown bulletin with 404, and a bulletinId that is not an id with 400 naming it', async () => {
      const unknown = await preview({ rule: { all: [] }, bulletinId: 999_999 });
      expect(unknown.status).toBe(404);
      expect((await unknown.json()).error.code).toBe('not_found');
      const bad = await preview({ rule: { all: [] }, bulletinId: 'one' });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.issues.map((i: { path: string }) => i.path)).toEqual(['bulletinId']);
    });
  });

  describe('the pre-send checks', () => {
    it('warn on a block shown to nobody and on a tag nobody has, naming block and tag', async () => {
      const found = await warnings(bulletinId);
      expect(found).toEqual([
        {
          level: 'warning',
          code: 'block_shown_to_nobody',
          block: 4,
          field: 'blocks[4].audience',
          message: expect.stringContaining('shown to nobody'),
        },
        {
          level: 'warning',
          code: 'unknown_tag',
          block: 5,
          field: 'blocks[5].audience',
          message: 'blocks[5].audience: no subscriber has the tag “donr”',
        },
      ]);
      expect(found[0]!.message).toContain('“border”');
    });

    it('read the whole list when the bulletin has no topic, and stop warning once someone has the tag', async () => {
      const listWide = await createBulletin(undefined, BLOCKS);
      // frank volunteers and can be mailed: the volunteers' block reaches him
      expect((await warnings(listWide)).map((f) => [f.code, f.block])).toEqual([['unknown_tag', 5]]);

      const tagged = await app.request('POST', '/api/subscribers/tags', {
        json: { tag: 'donr', action: 'add', emails: ['hugo@example.org'] },
      });
      expect(tagged.status).toBe(200);
      // hugo left, but the tag is no longer unknown: it was a real tag, not a slip
      expect(await warnings(listWide)).toEqual([]);
    });
  });
});

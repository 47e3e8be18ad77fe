// The campaign API around a send: scheduling, rescheduling and cancelling before the start,
// pausing and resuming, progress as server-sent events, and test sends.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { ScriptedSes } from '../support/scripted-ses.js';

describe.each(databaseKinds())('campaign API on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let bulletinId: number;

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true, env: { SES_MAX_SEND_RATE: '50' } });
    await sendableBulletin(app); // settings and the topic, before the audience subscribes to it
    await importAudience(app, 30, 's', 'sched.org');
  });
  // A bulletin of its own for each test: a second send of one bulletin needs resend (tested below).
  beforeEach(async () => {
    bulletinId = await sendableBulletin(app);
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  it('schedules a send for later, reschedules it, and starts it at the new time', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const created = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { rule: { emailDomain: 'sched.org' }, scheduledAt: later },
      })
    ).json();
    expect(created).toMatchObject({ state: 'scheduled', scheduledAt: later, run: 0 });
    await new Promise((r) => setTimeout(r, 500));
    expect((await (await app.request('GET', `/api/campaigns/${created.id}`)).json()).state).toBe('scheduled');
    expect(ses.received).toHaveLength(0);

    const soon = new Date(Date.now() + 300).toISOString();
    const moved = await app.request('PATCH', `/api/campaigns/${created.id}`, { json: { scheduledAt: soon } });
    expect(moved.status).toBe(200);
    const done = await waitForCampaign(app, created.id, ['sent']);
    expect(done.counts).toMatchObject({ total: 30, sent: 30 });
    expect(new Date(done.startedAt).getTime()).toBeGreaterThanOrEqual(new Date(soon).getTime() - 50);

    const again = await app.request('PATCH', `/api/campaigns/${created.id}`, { json: { scheduledAt: later } });
    expect(again.status).toBe(409);
  });

  it('cancels a scheduled send before it starts: nothing is sent', async () => {
    const before = ses.received.length;
    const created = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { rule: { emailDomain: 'sched.org' }, scheduledAt: new Date(Date.now() + 1000).toISOString() },
      })
    ).json();
    const cancelled = await app.request('POST', `/api/campaigns/${created.id}/cancel`);
    expect((await cancelled.json()).state).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 1500));
    const report = await (await app.request('GET', `/api/campaigns/${created.id}`)).json();
    expect(report).toMatchObject({ state: 'cancelled', counts: { total: 0 } });
    expect(ses.received.length).toBe(before);
    expect((await app.request('POST', `/api/campaigns/${created.id}/resume`)).status).toBe(409);
  });

  it('pauses and resumes a send: the rows wait, then each is sent once', async () => {
    await importAudience(app, 120, 'pr', 'pause.org');
    ses.delayMs = 10;
    let paused!: Promise<Response>;
    let campaignId = 0;
    ses.onAccept = () => {
      if (ses.received.filter((m) => m.to.endsWith('@pause.org')).length === 20) {
        paused = app.request('POST', `/api/campaigns/${campaignId}/pause`);
      }
    };
    campaignId = (
      await (
        await app.request('POST', `/api/bulletins/${bulletinId}/send`, { json: { rule: { emailDomain: 'pause.org' } } })
      ).json()
    ).id;
    const report = await waitForCampaign(app, campaignId, ['paused', 'sent']);
    expect(report.state).toBe('paused');
    expect((await paused).status).toBe(200);
    expect(report.stateReason).toBe('Paused by staff');
    await new Promise((r) => setTimeout(r, 1500));
    const waiting = await (await app.request('GET', `/api/campaigns/${campaignId}`)).json();
    expect(waiting.counts.queued).toBeGreaterThan(0);
    expect(waiting.counts.sent).toBeLessThan(120);

    expect((await app.request('POST', `/api/campaigns/${campaignId}/resume`)).status).toBe(200);
    const done = await waitForCampaign(app, campaignId, ['sent']);
    expect(done.counts).toMatchObject({ total: 120, sent: 120 });
    for (let i = 0; i < 120; i++) expect(ses.count(`pr${i}@pause.org`)).toBe(1);
    ses.onAccept = () => {};
    ses.delayMs = 0;
  });

  it('streams progress as server-sent events until the campaign is over', async () => {
    const created = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, { json: { rule: { emailDomain: 'sched.org' } } })
    ).json();
    const res = await app.request('GET', `/api/campaigns/${created.id}/events`);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text(); // the stream ends when the campaign is over
    const events = text
      .trim()
      .split('\n\n')
      .map((chunk) =>
        JSON.parse(
          chunk
            .split('\n')
            .find((l) => l.startsWith('data: '))!
            .slice(6),
        ),
      );
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.at(-1)).toMatchObject({ id: created.id, state: 'sent', counts: { sent: 30 } });
    expect((await app.request('GET', '/api/campaigns/999999/events')).status).toBe(404);
  });

  it("sends each language's test copy to each address, marked [TEST EN] and [TEST ES], counted nowhere", async () => {
    const { subject } = exampleBulletin();
    const before = ses.received.length;
    const campaignsBefore = (await (await app.request('GET', '/api/campaigns')).json()).data.length;
    const res = await app.request('POST', `/api/bulletins/${bulletinId}/test`, {
      json: { to: ['editor@nnirr.org', 'second@nnirr.org'] },
    });
    expect(res.status).toBe(200);
    const { sent } = await res.json();
    const mails = ses.received.slice(before);
    expect(mails.map((m) => [m.to, m.subject, /<html[^>]* lang="([^"]+)"/.exec(m.html)?.[1]])).toEqual([
      ['editor@nnirr.org', `[TEST EN] ${subject.en}`, 'en'],
      ['second@nnirr.org', `[TEST EN] ${subject.en}`, 'en'],
      ['editor@nnirr.org', `[TEST ES] ${subject.es}`, 'es'],
      ['second@nnirr.org', `[TEST ES] ${subject.es}`, 'es'],
    ]);
    expect(sent).toEqual(
      mails.map((m) => ({ to: m.to, lang: m.subject.slice(6, 8).toLowerCase(), messageId: m.messageId })),
    );
    for (const mail of mails) expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect((await (await app.request('GET', '/api/campaigns')).json()).data.length).toBe(campaignsBefore);
  });

  it('sends only the language asked for, marked the same way', async () => {
    const before = ses.received.length;
    const res = await app.request('POST', `/api/bulletins/${bulletinId}/test`, {
      json: { to: ['editor@nnirr.org'], lang: 'ES' },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).sent).toEqual([{ to: 'editor@nnirr.org', lang: 'es', messageId: expect.any(String) }]);
    expect(ses.received.length).toBe(before + 1);
    expect(ses.received.at(-1)!).toMatchObject({
      to: 'editor@nnirr.org',
      subject: '[TEST ES] Nueva web, una petición por las personas refugiadas y los 100 días de Biden',
    });
    expect(ses.received.at(-1)!.html).toMatch(/<html[^>]* lang="es"/);

    const bad = await app.request('POST', `/api/bulletins/${bulletinId}/test`, {
      json: { to: ['not-an-address'], lang: 'fr' },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues.map((i: { path: string }) => i.path)).toEqual(['to[0]']);
    const lang = await app.request('POST', `/api/bulletins/${bulletinId}/test`, {
      json: { to: ['a@nnirr.org'], lang: 'fr' },
    });
    expect((await lang.json()).error.issues).toEqual([
      { path: 'lang', message: "must be en (English) or es (Spanish), the bulletin's languages" },
    ]);
  });

  it('says in the OpenAPI document that a test without lang goes in every language, and how copies count', async () => {
    const route = (await (await app.request('GET', '/api/openapi.json', { token: null })).json()).paths[
      '/api/bulletins/{id}/test'
    ].post;
    expect(route.summary).toContain("each language's copy to each address, or only the language given");
    expect(route.summary).toContain('a request that would pass them answers 429 and sends nothing');
    const body = route.requestBody.content['application/json'].schema;
    expect(body.properties.lang.description).toBe("Send only this language's copy; every language's when left out");
    expect(route.responses['200'].content['application/json'].schema.properties.sent.items.required).toEqual([
      'to',
      'lang',
      'messageId',
    ]);
  });

  it('sends no test copy to a suppressed address (409 naming it), nor more than 50 copies an hour (429)', async () => {
    const before = ses.received.length;
    await app.request('POST', '/api/suppressions', { json: { email: 'Gone@nnirr.org', reason: 'manual' } });
    const refused = await app.request('POST', `/api/bulletins/${bulletinId}/test`, {
      json: { to: ['editor@nnirr.org', 'gone@nnirr.org'] },
    });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatchObject({
      code: 'suppressed',
      issues: [{ path: 'to[1]', message: 'is on the suppression list (manual): no mail goes to it' }],
    });
    expect(ses.received.length).toBe(before);

    // The hour's allowance is shared by everyone, and each language's copy counts: 10 addresses in
    // both languages are 20 copies, so copies go until the next request would pass 50.
    const isTest = (m: { subject: string }) => m.subject.startsWith('[TEST ');
    const ten = Array.from({ length: 10 }, (_, i) => `copy${i}@nnirr.org`);
    let answer: Response | undefined;
    for (let i = 0; i < 3 && (answer?.status ?? 200) === 200; i++)
      answer = await app.request('POST', `/api/bulletins/${bulletinId}/test`, { json: { to: ten } });
    expect(answer!.status).toBe(429);
    expect((await answer!.json()).error.message).toMatch(/^At most 50 test copies go out in an hour; try again in /);
    const copies = ses.received.filter(isTest).length;
    expect(copies).toBeLessThanOrEqual(50);
    expect(copies).toBeGreaterThan(30);
    const room = 50 - copies;
    // A request that would pass the allowance is refused whole: not even the copies that would fit go.
    const tooMany = await app.request('POST', `/api/bulletins/${bulletinId}/test`, {
      json: { to: ten.slice(0, Math.floor(room / 2) + 1) },
    });
    expect(tooMany.status).toBe(429);
    expect(ses.received.filter(isTest).length).toBe(copies);
    if (room > 0) {
      const last = await app.request('POST', `/api/bulletins/${bulletinId}/test`, {
        json: { to: ten.slice(0, room), lang: 'en' },
      });
      expect(last.status).toBe(200);
    }
    expect(
      (
        await app.request('POST', `/api/bulletins/${bulletinId}/test`, {
          json: { to: ['editor@nnirr.org'], lang: 'es' },
        })
      ).status,
    ).toBe(429);
    expect(ses.received.filter(isTest).length).toBe(50);
  });

  it('ends a campaign that cannot be prepared as failed, with the reason', async () => {
    // Scheduled an hour ahead, so the rule is broken before anything starts, then brought forward.
    const created = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { rule: { all: [] }, scheduledAt: new Date(Date.now() + 3_600_000).toISOString() },
      })
    ).json();
    // A stored rule no version of Pregón wrote: preparing it fails every time.
    await app.db.database.db
      .updateTable('campaigns')
      .set({ rule: '{"attribute": "x", "op": "bogus", "value": 1}' })
      .where('id', '=', created.id)
      .execute();
    expect(
      (await app.request('PATCH', `/api/campaigns/${created.id}`, { json: { scheduledAt: new Date().toISOString() } }))
        .status,
    ).toBe(200);
    const report = await waitForCampaign(app, created.id, ['failed'], 30_000);
    expect(report.stateReason).toMatch(/^Could not prepare: /);
    expect(report.finishedAt).not.toBeNull();
  });

  it('refuses a sent bulletin unless resend: 409 already_sent names the earlier send and its recipients', async () => {
    await importAudience(app, 6, 'again', 'again.org');
    const id = await sendableBulletin(app);
    const first = await (
      await app.request('POST', `/api/bulletins/${id}/send`, { json: { rule: { emailDomain: 'again.org' } } })
    ).json();
    await waitForCampaign(app, first.id, ['sent']);
    await importAudience(app, 3, 'new', 'again.org');
    const before = ses.received.length;

    const refused = await app.request('POST', `/api/bulletins/${id}/send`, {
      json: { rule: { emailDomain: 'again.org' } },
    });
    expect(refused.status).toBe(409);
    const { error } = await refused.json();
    expect(error).toMatchObject({
      code: 'already_sent',
      alreadyReceived: 6,
      campaigns: [{ id: first.id, state: 'sent', counts: { sent: 6, total: 6 } }],
    });
    expect(error.message).toContain(`campaign ${first.id}`);
    expect(
      (await (await app.request('GET', `/api/campaigns?bulletinId=${id}`)).json()).data.map(
        (c: { id: number }) => c.id,
      ),
    ).toEqual([first.id]);

    // A scheduled send counts too: it is on its way.
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await (
      await app.request('POST', `/api/bulletins/${id}/send`, {
        json: { rule: { emailDomain: 'nobody.example' }, scheduledAt: later, resend: true },
      })
    ).json();
    const twice = await (
      await app.request('POST', `/api/bulletins/${id}/send`, { json: { rule: { emailDomain: 'again.org' } } })
    ).json();
    expect(twice.error.campaigns.map((c: { id: number }) => c.id)).toEqual([scheduled.id, first.id]);
    await app.request('POST', `/api/campaigns/${scheduled.id}/cancel`);

    // Leaving out who received it is a rule like any other; resend: true sends to everyone chosen.
    const rest = await app.request('POST', `/api/bulletins/${id}/send`, {
      json: {
        rule: { all: [{ emailDomain: 'again.org' }, { not: { campaign: first.id, received: true } }] },
        resend: true,
      },
    });
    expect(rest.status).toBe(201);
    expect((await waitForCampaign(app, (await rest.json()).id, ['sent'])).counts).toMatchObject({ total: 3, sent: 3 });
    expect(ses.received.length - before).toBe(3);
    for (let i = 0; i < 3; i++) expect(ses.count(`new${i}@again.org`)).toBe(1);
  });

  it('answers malformed send requests with 400 naming the field', async () => {
    for (const [body, path] of [
      [{}, 'body'],
      [{ rule: { all: [] }, segmentId: 1 }, 'body'],
      [{ rule: { all: [] }, scheduledAt: 'tomorrow' }, 'scheduledAt'],
      [{ rule: { all: [] }, tracking: 'per-person' }, 'tracking'],
      [{ rule: { all: [] }, archive: 'yes' }, 'archive'],
      [{ rule: { tag: 1 } }, 'rule.tag'],
    ] as const) {
      const res = await app.request('POST', `/api/bulletins/${bulletinId}/send`, { json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        (await res.json()).error.issues.map((i: { path: string }) => i.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    expect((await app.request('POST', '/api/bulletins/999999/send', { json: { rule: { all: [] } } })).status).toBe(404);
    expect((await app.request('POST', '/api/campaigns/999999/pause')).status).toBe(404);
  });
});

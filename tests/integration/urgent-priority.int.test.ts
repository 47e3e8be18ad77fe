// Urgent sends go first: an urgent campaign started while a normal one is sending has all its mail
// sent before the normal campaign's waiting batches resume, on the same limiter; the normal one
// still finishes, everyone mailed once. The order is read from the scripted SES server's log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { ScriptedSes } from '../support/scripted-ses.js';

/** 10 messages a second: batches of 10, one a second, so the normal send takes NORMAL / 10 seconds. */
const RATE = 10;
const BATCH = 10;
/**
 * The normal send: 16 s, so that after the urgent one is asked for (2 s in) there are seconds to
 * spare for preparing it on a loaded machine, and still waiting batches to resume after.
 */
const NORMAL = 160;

describe.each(databaseKinds())('urgent sends on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let bulletinId: number;
  const send = async (body: Record<string, unknown>, token?: string) => {
    const res = await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
      json: { resend: true, ...body },
      ...(token ? { token } : {}),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { id: number; priority: string; state: string };
  };
  const until = async (done: () => boolean) => {
    const deadline = Date.now() + 60_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, {
      sesEndpoint: ses.url,
      worker: true,
      env: { SES_MAX_SEND_RATE: String(RATE) },
    });
    bulletinId = await sendableBulletin(app);
    await importAudience(app, NORMAL, 'n', 'bulk.org');
    await importAudience(app, 20, 'u', 'urgent.org');
  });
  afterAll(async () => {
    await app?.close();
    await ses?.close();
  });

  it('refuses a priority it does not know, naming the field, and creates nothing', async () => {
    const before = (await (await app.request('GET', '/api/campaigns')).json()).data.length;
    const res = await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
      json: { resend: true, rule: { emailDomain: 'urgent.org' }, priority: 'high' },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('priority');
    expect((await (await app.request('GET', '/api/campaigns')).json()).data).toHaveLength(before);
  });

  it("sends all of an urgent campaign's mail before the normal one's waiting batches resume", async () => {
    const normal = await send({ rule: { emailDomain: 'bulk.org' } });
    expect(normal.priority).toBe('normal');
    const toBulk = () => ses.received.filter((m) => m.to.endsWith('@bulk.org'));
    // The normal send is under way, most of its batches still waiting.
    await until(() => toBulk().length >= 2 * BATCH);
    const urgent = await send({ rule: { emailDomain: 'urgent.org' }, priority: 'urgent' });
    expect(urgent.priority).toBe('urgent');

    const urgentDone = await waitForCampaign(app, urgent.id, ['sent']);
    expect(urgentDone).toMatchObject({ priority: 'urgent', counts: { total: 20, sent: 20 } });
    const normalDone = await waitForCampaign(app, normal.id, ['sent']);
    expect(normalDone).toMatchObject({ priority: 'normal', counts: { total: NORMAL, sent: NORMAL } });
    for (let i = 0; i < NORMAL; i++) expect(ses.count(`n${i}@bulk.org`), `n${i}`).toBe(1);
    for (let i = 0; i < 20; i++) expect(ses.count(`u${i}@urgent.org`), `u${i}`).toBe(1);

    // The log, in the order SES took the mail: each normal mail's batch is its row's place among
    // the campaign's rows (by id), in batches of BATCH, as the runner queued them.
    const log = ses.received.filter((m) => /@(bulk|urgent)\.org$/.test(m.to));
    const normalRows = log
      .filter((m) => m.to.endsWith('@bulk.org'))
      .map((m) => Number(m.tags.delivery))
      .sort((a, b) => a - b);
    const batchOf = (m: (typeof log)[number]) => Math.floor(normalRows.indexOf(Number(m.tags.delivery)) / BATCH);
    const firstUrgent = log.findIndex((m) => m.to.endsWith('@urgent.org'));
    const lastUrgent = log.map((m) => m.to.endsWith('@urgent.org')).lastIndexOf(true);
    // A batch the worker had taken before the urgent batches were queued may still be finishing;
    // no other normal batch starts until the last urgent mail is out.
    const startedBefore = new Set(log.slice(0, firstUrgent).map(batchOf));
    const startedAmid = log.slice(firstUrgent, lastUrgent).filter((m) => m.to.endsWith('@bulk.org'));
    expect(startedAmid.filter((m) => !startedBefore.has(batchOf(m)))).toEqual([]);
    // And the normal campaign had waiting batches that resumed after.
    expect(log.slice(lastUrgent + 1).filter((m) => m.to.endsWith('@bulk.org')).length).toBeGreaterThan(BATCH);
  });

  it('keeps the priority of a send that awaits approval, and answers it in the list', async () => {
    const writer = (await app.stores.staff.createToken({ name: 'drafts', role: 'writer' })).token;
    const request = await send({ rule: { emailDomain: 'urgent.org' }, priority: 'urgent' }, writer);
    expect(request).toMatchObject({ state: 'awaiting_approval', priority: 'urgent' });
    const approved = await app.request('POST', `/api/campaigns/${request.id}/approve`);
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ state: 'scheduled', priority: 'urgent' });
    await waitForCampaign(app, request.id, ['sent']);
    const list = (await (await app.request('GET', '/api/campaigns')).json()).data;
    expect(list.find((c: { id: number }) => c.id === request.id)).toMatchObject({ priority: 'urgent' });
    const history = await app.stores.audit.historyOf({ type: 'campaign', id: request.id });
    expect(history[0]).toMatchObject({ action: 'campaign_approval_requested', details: { priority: 'urgent' } });
  });
});

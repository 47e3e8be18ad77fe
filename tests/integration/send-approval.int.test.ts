// Approval before big sends: a writer's send, or anyone's over the threshold of Settings, waits in
// awaiting_approval; the other editors and admins are told by mail; another editor approves (it
// then sends, each reader once) or declines with a comment; a save of the bulletin withdraws it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { signIn, type StaffSession } from '../helpers/sessions.js';
import { ScriptedSes } from '../support/scripted-ses.js';

describe.each(databaseKinds())('approval before big sends on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let writer: StaffSession;
  let editor: StaffSession;
  let otherEditor: StaffSession;
  let writerToken: string;

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true });
    await sendableBulletin(app); // the topic the readers subscribe to
    await importAudience(app, 4, 'r', 'readers.org');
    writer = await signIn(app, 'ana@nnirr.org', 'writer');
    editor = await signIn(app, 'eva@nnirr.org', 'editor');
    otherEditor = await signIn(app, 'otto@nnirr.org', 'editor');
    writerToken = (await app.stores.staff.createToken({ name: 'drafts', role: 'writer' })).token;
  });
  afterAll(async () => {
    await app?.close();
    await ses?.close();
  });

  const as = (who: StaffSession, method: string, path: string, json?: unknown) =>
    app.request(method, path, { token: null, headers: who.headers(), json });
  const send = { rule: { emailDomain: 'readers.org' } };
  const toReaders = () => ses.received.filter((mail) => mail.to.endsWith('@readers.org'));
  const auditOf = async (id: number) =>
    (await app.stores.audit.historyOf({ type: 'campaign', id })).map((entry) => [entry.action, entry.actor.name]);

  it('is off by default: the settings say so, and an editor’s send goes at once', async () => {
    const settings = await (await app.request('GET', '/api/settings')).json();
    expect(settings.approvalThreshold).toBeNull();
    const bulletinId = await sendableBulletin(app);
    const res = await as(editor, 'POST', `/api/bulletins/${bulletinId}/send`, {
      ...send,
      scheduledAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(res.status).toBe(201);
    const campaign = await res.json();
    expect(campaign.state).toBe('scheduled');
    await app.request('POST', `/api/campaigns/${campaign.id}/cancel`);
  });

  it('a writer’s send awaits approval; the other editors and admins are mailed, never a reader', async () => {
    const bulletinId = await sendableBulletin(app);
    const before = ses.received.length;
    const res = await as(writer, 'POST', `/api/bulletins/${bulletinId}/send`, send);
    expect(res.status).toBe(201);
    const request = await res.json();
    expect(request).toMatchObject({
      state: 'awaiting_approval',
      requestedBy: { kind: 'staff', id: writer.staff.id },
      requestedAudience: 4,
    });
    const mails = ses.received.slice(before);
    expect(mails.map((mail) => mail.to).sort()).toEqual(expect.arrayContaining(['eva@nnirr.org', 'otto@nnirr.org']));
    expect(mails.map((mail) => mail.to)).not.toContain('ana@nnirr.org');
    expect(mails.filter((mail) => mail.to.endsWith('@readers.org'))).toEqual([]);
    const title = (await (await app.request('GET', `/api/bulletins/${bulletinId}`)).json()).title;
    expect(mails[0]!.text).toBe(
      `ana@nnirr.org asks to send “${title}” to 4 people; review it: ` +
        `https://news.example.org/admin/campaigns/${request.id}`,
    );

    // The writer cannot approve (403 by role); an editor cannot approve a request that is not theirs… twice.
    expect((await as(writer, 'POST', `/api/campaigns/${request.id}/approve`)).status).toBe(403);
    const approved = await as(editor, 'POST', `/api/campaigns/${request.id}/approve`);
    expect(approved.status).toBe(200);
    expect((await approved.json()).state).toBe('scheduled');
    const again = await as(otherEditor, 'POST', `/api/campaigns/${request.id}/approve`);
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('conflict');

    const done = await waitForCampaign(app, request.id, ['sent']);
    expect(done.counts.sent).toBe(4);
    const readers = toReaders().map((mail) => mail.to);
    expect(new Set(readers).size).toBe(readers.length);
    expect(readers).toHaveLength(4);
    expect(await auditOf(request.id)).toEqual(
      expect.arrayContaining([
        ['campaign_approval_requested', 'ana@nnirr.org'],
        ['campaign_approved', 'eva@nnirr.org'],
      ]),
    );
  });

  it('nobody approves their own request, a token’s own neither; any other editor may', async () => {
    await app.request('PUT', '/api/settings', { json: { approvalThreshold: 2 } });
    try {
      const bulletinId = await sendableBulletin(app);
      const res = await as(editor, 'POST', `/api/bulletins/${bulletinId}/send`, { ...send, resend: true });
      const request = await res.json();
      expect(request.state).toBe('awaiting_approval');
      const own = await as(editor, 'POST', `/api/campaigns/${request.id}/approve`);
      expect(own.status).toBe(409);
      expect((await own.json()).error.message).toMatch(/own request/);
      expect((await as(editor, 'POST', `/api/campaigns/${request.id}/decline`, { comment: 'no' })).status).toBe(409);
      expect((await app.stores.campaigns.get(request.id)).state).toBe('awaiting_approval');
      await app.request('POST', `/api/campaigns/${request.id}/cancel`);

      // A writer token's request: the token cannot approve (403), a session of anyone else may.
      const byToken = await (
        await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
          token: writerToken,
          json: { ...send, resend: true, scheduledAt: new Date(Date.now() + 3_600_000).toISOString() },
        })
      ).json();
      expect(byToken).toMatchObject({ state: 'awaiting_approval', requestedBy: { kind: 'token' } });
      expect((await app.request('POST', `/api/campaigns/${byToken.id}/approve`, { token: writerToken })).status).toBe(
        403,
      );
      const approved = await as(editor, 'POST', `/api/campaigns/${byToken.id}/approve`);
      expect((await approved.json()).state).toBe('scheduled');
      await app.request('POST', `/api/campaigns/${byToken.id}/cancel`);
    } finally {
      await app.request('PUT', '/api/settings', { json: { approvalThreshold: null } });
    }
  });

  it('an editor’s send over the threshold needs approval, and one under it does not', async () => {
    await app.request('PUT', '/api/settings', { json: { approvalThreshold: 4 } });
    try {
      const bulletinId = await sendableBulletin(app);
      const later = new Date(Date.now() + 3_600_000).toISOString();
      const atFour = await (
        await as(editor, 'POST', `/api/bulletins/${bulletinId}/send`, { ...send, scheduledAt: later, resend: true })
      ).json();
      expect(atFour.state).toBe('scheduled');
      await app.request('POST', `/api/campaigns/${atFour.id}/cancel`);
      await app.request('PUT', '/api/settings', { json: { approvalThreshold: 3 } });
      const overThree = await (
        await as(editor, 'POST', `/api/bulletins/${bulletinId}/send`, { ...send, scheduledAt: later, resend: true })
      ).json();
      expect(overThree).toMatchObject({ state: 'awaiting_approval', requestedAudience: 4 });
      await app.request('POST', `/api/campaigns/${overThree.id}/cancel`);
      const refused = await app.request('PUT', '/api/settings', { json: { approvalThreshold: 0 } });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(await refused.json())).toMatch(/approvalThreshold/);
    } finally {
      await app.request('PUT', '/api/settings', { json: { approvalThreshold: null } });
    }
  });

  it('declined with a comment: the requester sees it, nothing is sent', async () => {
    const bulletinId = await sendableBulletin(app);
    const sentBefore = toReaders().length;
    const request = await (
      await as(writer, 'POST', `/api/bulletins/${bulletinId}/send`, { ...send, resend: true })
    ).json();
    const empty = await as(editor, 'POST', `/api/campaigns/${request.id}/decline`, { comment: '  ' });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(await empty.json())).toMatch(/comment/);
    const mailsBefore = ses.received.length;
    const declined = await as(editor, 'POST', `/api/campaigns/${request.id}/decline`, {
      comment: 'Wait for the Spanish review',
    });
    // The one who asked is told, with the comment; nobody else.
    const told = ses.received.slice(mailsBefore);
    expect(told.map((mail) => mail.to)).toEqual(['ana@nnirr.org']);
    expect(told[0]!.text).toMatch(
      /^eva@nnirr\.org declined your send of “.+”: Wait for the Spanish review\. See it: https:/,
    );
    expect(declined.status).toBe(200);
    expect(await declined.json()).toMatchObject({ state: 'declined', stateReason: 'Wait for the Spanish review' });
    const list = await (await as(writer, 'GET', `/api/campaigns?bulletinId=${bulletinId}`)).json();
    expect(list.data.find((c: { id: number }) => c.id === request.id)).toMatchObject({
      state: 'declined',
      stateReason: 'Wait for the Spanish review',
      counts: { total: 0 },
    });
    expect((await as(editor, 'POST', `/api/campaigns/${request.id}/approve`)).status).toBe(409);
    expect(toReaders()).toHaveLength(sentBefore);
    expect(await auditOf(request.id)).toContainEqual(['campaign_declined', 'eva@nnirr.org']);
  });

  it('a save of the bulletin withdraws its request: the approver never approves another document', async () => {
    const bulletinId = await sendableBulletin(app);
    const request = await (
      await as(writer, 'POST', `/api/bulletins/${bulletinId}/send`, { ...send, resend: true })
    ).json();
    const { document } = await (await as(writer, 'GET', `/api/bulletins/${bulletinId}`)).json();
    expect((await as(writer, 'PUT', `/api/bulletins/${bulletinId}`, { ...document, title: 'Changed' })).status).toBe(
      200,
    );
    const withdrawn = await app.stores.campaigns.get(request.id);
    expect(withdrawn).toMatchObject({
      state: 'withdrawn',
      stateReason: expect.stringMatching(/changed after the request/),
    });
    expect((await as(editor, 'POST', `/api/campaigns/${request.id}/approve`)).status).toBe(409);
    expect(await auditOf(request.id)).toContainEqual(['campaign_withdrawn', 'ana@nnirr.org']);
  });
});

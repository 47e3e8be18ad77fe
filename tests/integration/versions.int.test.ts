// The versions list explains itself: who saved each version (a staff member or an API token), what
// changed since the one before, and which versions a campaign went out from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulletinDocument } from '../../src/bulletins/document.js';
import type { BulletinVersionSummary } from '../../src/bulletins/schemas.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { signIn, type StaffSession } from '../helpers/sessions.js';
import { ScriptedSes } from '../support/scripted-ses.js';

describe.each(databaseKinds())('bulletin versions on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let ana: StaffSession;

  const versions = async (id: number) => {
    const res = await app.request('GET', `/api/bulletins/${id}/versions`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: BulletinVersionSummary[] }).data;
  };
  const save = async (id: number, document: BulletinDocument, auth: { token?: string; session?: StaffSession }) => {
    const res = await app.request('PUT', `/api/bulletins/${id}`, {
      json: document,
      ...(auth.session ? { token: null, headers: auth.session.headers() } : { token: auth.token! }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as { versionId: number };
  };

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true, env: { SES_MAX_SEND_RATE: '50' } });
    ana = await signIn(app, 'ana@example.org', 'editor');
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  it('records who saved each version, a staff member or a token, and what changed', async () => {
    const created = await (await app.request('POST', '/api/bulletins', { json: exampleBulletin() })).json();
    const document = exampleBulletin();
    document.subject.es = 'Otro asunto';
    await save(created.id, document, { session: ana });
    document.blocks.splice(1, 1);
    await save(created.id, document, { token: app.editorToken });

    const [third, second, first] = await versions(created.id);
    expect(first).toMatchObject({ version: 1, savedBy: 'token: admin', changes: [], sent: false, sends: [] });
    expect(second).toMatchObject({
      version: 2,
      savedBy: 'ana@example.org',
      changes: [{ kind: 'setting', text: 'Edited Spanish subject', field: 'subject', language: 'es' }],
    });
    expect(third).toMatchObject({
      version: 3,
      savedBy: 'token: editor',
      changes: [{ kind: 'block_removed', text: 'Removed divider', block: 2 }],
    });
    // The list carries no texts: the comparison reads them from the two versions.
    expect(third!.changes[0]).not.toHaveProperty('before');

    const one = await (await app.request('GET', `/api/bulletins/${created.id}/versions/${second!.versionId}`)).json();
    expect(one).toMatchObject({ version: 2, savedBy: 'ana@example.org' });
  });

  it('names the person who duplicated a bulletin as the author of the copy', async () => {
    const created = await (await app.request('POST', '/api/bulletins', { json: exampleBulletin() })).json();
    const res = await app.request('POST', `/api/bulletins/${created.id}/duplicate`, {
      token: null,
      headers: ana.headers(),
    });
    expect(res.status).toBe(201);
    expect(await versions((await res.json()).id)).toMatchObject([{ version: 1, savedBy: 'ana@example.org' }]);
  });

  it('shows a version saved without an author (before authors were kept) as null', async () => {
    const created = await (await app.request('POST', '/api/bulletins', { json: exampleBulletin() })).json();
    await app.stores.bulletins.save(created.id, exampleBulletin());
    expect((await versions(created.id))[0]).toMatchObject({ version: 2, savedBy: null, changes: [] });
  });

  it('marks the version a campaign went out from, and not one only scheduled', async () => {
    const id = await sendableBulletin(app);
    await importAudience(app, 5, 'v', 'versions.org');
    const scheduled = await (
      await app.request('POST', `/api/bulletins/${id}/send`, {
        json: { rule: { emailDomain: 'versions.org' }, scheduledAt: new Date(Date.now() + 3_600_000).toISOString() },
      })
    ).json();
    expect((await versions(id))[0]).toMatchObject({ version: 1, sent: false, sends: [] });
    expect((await app.request('POST', `/api/campaigns/${scheduled.id}/cancel`)).status).toBe(200);

    const sent = await (
      await app.request('POST', `/api/bulletins/${id}/send`, {
        json: { rule: { emailDomain: 'versions.org' }, resend: true },
      })
    ).json();
    await waitForCampaign(app, sent.id, ['sent']);
    const document = exampleBulletin();
    document.title = 'After the send';
    await save(id, document, { session: ana });

    const [after, pinned] = await versions(id);
    expect(after).toMatchObject({ version: 2, sent: false, sends: [], changes: [{ text: 'Edited title' }] });
    expect(pinned).toMatchObject({
      version: 1,
      sent: true,
      sends: [{ campaignId: sent.id, recipients: 5, startedAt: expect.any(String) }],
    });
  });
});

// The List-Id header (RFC 2919) that reaches SES in the SDK's own SendEmail request, as the
// scripted SES server records it: a campaign's mail and a test copy name the same list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { ScriptedSes } from '../support/scripted-ses.js';

/** The organisation and topic of sendableBulletin, in the host of TEST_PUBLIC_URL. */
const LIST_ID = '"NNIRR weekly-bulletin" <weekly-bulletin.news.example.org>';

describe.each(databaseKinds())('the List-Id of mail on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let bulletinId: number;

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true });
    bulletinId = await sendableBulletin(app);
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  it("names the organisation and the bulletin's topic in each mail of a campaign", async () => {
    await importAudience(app, 3, 'list', 'list.example');
    const campaign = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { rule: { emailDomain: 'list.example' } },
      })
    ).json();
    expect((await waitForCampaign(app, campaign.id, ['sent'], 60_000)).counts).toMatchObject({ sent: 3 });
    const mails = ses.received.filter((m) => m.to.endsWith('@list.example'));
    expect(mails).toHaveLength(3);
    for (const { headers } of mails) {
      expect(headers['List-Id']).toBe(LIST_ID);
      expect(headers['List-Unsubscribe']).toMatch(/^<https:\/\/news\.example\.org\/unsubscribe\//);
    }
  });

  it('names the same list in a test copy', async () => {
    const res = await app.request('POST', `/api/bulletins/${bulletinId}/test`, {
      json: { to: ['tester@example.org'] },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(ses.received.at(-1)!.headers['List-Id']).toBe(LIST_ID);
  });
});

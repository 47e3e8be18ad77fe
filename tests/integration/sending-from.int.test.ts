// The From that reaches SES: the SDK's own SendEmail request, as the scripted SES server records
// it. A sender name outside ASCII goes as RFC 2047 encoded-words (SES refuses it raw), an ASCII
// one as a quoted-string, in test copies, campaigns and with MAIL_FROM alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { readDisplayName } from '../helpers/display-name.js';
import { ScriptedSes } from '../support/scripted-ses.js';

const NAMES = [
  'Boletín de la Red',
  'Pregón 📣 Red',
  'Boletín "La Red", Tucson',
  'Red "Sin Fronteras", Tucson',
  'Red Nacional por los Derechos de Inmigrantes y Refugiados — Boletín semanal 🌵',
];

describe.each(databaseKinds())('the sender of mail on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let bulletinId: number;
  const settings = (json: Record<string, string>) => app.request('PUT', '/api/settings', { json });
  const testCopy = async () => {
    const res = await app.request('POST', `/api/bulletins/${bulletinId}/test`, {
      json: { to: ['tester@example.org'], lang: 'es' },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return ses.received.at(-1)!;
  };

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true });
    bulletinId = await sendableBulletin(app);
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  it.each(NAMES)('sends the name %j as ASCII that a reader decodes back as written', async (name) => {
    expect((await settings({ senderName: name, replyTo: 'respuestas@nnirr.org' })).status).toBe(200);
    const { from, replyTo } = await testCopy();
    expect(from).toMatch(/^[\x20-\x7e]+ <bulletin@nnirr\.org>$/);
    expect(readDisplayName(from)).toBe(name);
    expect(replyTo).toEqual(['respuestas@nnirr.org']);
  });

  it("writes an accented name in a campaign's mail the same way", async () => {
    expect((await settings({ senderName: 'Boletín de la Red' })).status).toBe(200);
    await importAudience(app, 3, 'from', 'from.example');
    const campaign = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { rule: { emailDomain: 'from.example' } },
      })
    ).json();
    expect((await waitForCampaign(app, campaign.id, ['sent'], 60_000)).counts).toMatchObject({ sent: 3 });
    const mails = ses.received.filter((m) => m.to.endsWith('@from.example'));
    expect(mails).toHaveLength(3);
    for (const { from } of mails)
      expect(from).toBe(`=?UTF-8?B?${Buffer.from('Boletín de la Red').toString('base64')}?= <bulletin@nnirr.org>`);
  });

  it('encodes the name of the default MAIL_FROM when settings name no sender', async () => {
    expect((await settings({ senderEmail: '', senderName: '' })).status).toBe(200);
    const { from } = await testCopy();
    expect(from).toMatch(/^[\x20-\x7e]+ <bulletin@pregon\.localhost>$/);
    expect(readDisplayName(from)).toBe('Pregón');
  });
});

// A supporter's whole life through the real server: subscribe, confirm from the mail, receive a
// bulletin, change preferences, leave with one click, and be skipped by the next send.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSesEmulator, type SesEmulator } from '../../src/sending/ses-emulator.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
}

describe.each(databaseKinds())('a supporter, from subscribe to unsubscribe, on %s', (kind) => {
  let ses: SesEmulator;
  let app: TestApp;
  const mailsTo = async (to: string): Promise<StoredEmail[]> =>
    ((await (await fetch(`${ses.url}/store`)).json()) as { emails: StoredEmail[] }).emails.filter(
      (m) => m.destination.to[0] === to,
    );
  const local = (url: string) => `${app.baseUrl}${new URL(url).pathname}${new URL(url).search}`;
  const form = (url: string, body: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

  beforeAll(async () => {
    ses = await startSesEmulator(0);
    await fetch(`${ses.url}/clear-store`, { method: 'POST' });
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true });
    await app.request('POST', '/api/topics', {
      json: { key: 'weekly-bulletin', name: { en: 'Weekly bulletin', es: 'Boletín semanal' }, public: true },
    });
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  it('subscribes, confirms, receives, changes preferences, leaves with one click, and is skipped', async () => {
    const email = `flow-${kind}@example.org`;
    // No topic ticked: the form says that is every public topic, so the topic's bulletin reaches them.
    expect(
      (await form(`${app.baseUrl}/subscribe`, `email=${encodeURIComponent(email)}&name=Ana&language=es`)).status,
    ).toBe(200);

    // The confirmation mail, in Spanish, with its signed link
    let confirmation: StoredEmail | undefined;
    for (let i = 0; i < 50 && !confirmation; i++) {
      confirmation = (await mailsTo(email))[0];
      if (!confirmation) await new Promise((r) => setTimeout(r, 100));
    }
    expect(confirmation!.subject).toBe('Confirme su suscripción');
    const confirmUrl = /href="([^"]+\/confirm\/[^"]+)"/.exec(confirmation!.body.html!)![1]!;
    const [subscriber] = (
      await (await app.request('GET', `/api/subscribers?email=${encodeURIComponent(email)}`)).json()
    ).data;
    expect(subscriber.status).toBe('pending');
    expect((await fetch(local(confirmUrl))).status).toBe(200); // a GET only shows the button
    expect((await (await app.request('GET', `/api/subscribers/${subscriber.id}`)).json()).status).toBe('pending');
    expect((await form(local(confirmUrl), '')).status).toBe(200);
    expect((await (await app.request('GET', `/api/subscribers/${subscriber.id}`)).json()).status).toBe('active');

    // A bulletin reaches them in Spanish
    const bulletinId = await sendableBulletin(app);
    const first = await (
      await app.request('POST', `/api/bulletins/${bulletinId}/send`, { json: { rule: { all: [] } } })
    ).json();
    await waitForCampaign(app, first.id, ['sent']);
    const bulletin = (await mailsTo(email)).find((m) => m.subject.startsWith('Nueva web'))!;
    expect(bulletin).toBeDefined();

    // Preferences from the mail's link: switch to English
    const preferencesUrl = /href="([^"]+\/preferences\/[^"]+)"/.exec(bulletin.body.html!)![1]!;
    expect((await form(local(preferencesUrl), 'topics=weekly-bulletin&language=en&pause=keep')).status).toBe(200);
    expect((await (await app.request('GET', `/api/subscribers/${subscriber.id}`)).json()).language).toBe('en');

    // One click from the mail client, then the next send skips them
    const unsubscribeUrl = /^<(.+)>$/.exec(bulletin.headers!.find((h) => h.name === 'List-Unsubscribe')!.value)![1]!;
    expect((await fetch(local(unsubscribeUrl))).status).toBe(200); // a scanner's GET changes nothing
    expect((await (await app.request('GET', `/api/subscribers/${subscriber.id}`)).json()).status).toBe('active');
    expect((await form(local(unsubscribeUrl), 'List-Unsubscribe=One-Click')).status).toBe(200);
    // The same link again says so, with the way back instead of the button.
    const again = await (await fetch(local(unsubscribeUrl))).text();
    expect(again).toContain('You are already unsubscribed');
    expect(again).toContain('>Subscribe again</a>');
    expect(again).not.toContain('<form');
    // Next week's bulletin (a copy: the same bulletin is not sent twice without saying so).
    const next = await (await app.request('POST', `/api/bulletins/${bulletinId}/duplicate`)).json();
    const second = await (
      await app.request('POST', `/api/bulletins/${next.id}/send`, { json: { rule: { all: [] } } })
    ).json();
    await waitForCampaign(app, second.id, ['sent']);
    expect((await mailsTo(email)).filter((m) => m.subject.includes('100'))).toHaveLength(1);

    const { consent } = await (await app.request('GET', `/api/subscribers/${subscriber.id}`)).json();
    expect(consent.map((e: { event: string; source: string }) => `${e.event}/${e.source}`)).toEqual([
      'subscription_requested/form',
      'confirmed/form',
      'preferences_changed/preferences',
      'unsubscribed/link',
    ]);
  });
});

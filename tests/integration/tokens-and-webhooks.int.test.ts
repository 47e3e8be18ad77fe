// Forged and replayed keys, through the whole app: signed links that were tampered with, cut,
// re-aimed at another reader, signed for another purpose or with another secret, or expired; and
// SNS messages replayed under a new id, re-sent, or pointing at a SubscribeURL or certificate
// outside SNS. Each is refused and the database is as it was. The simpler cases live beside their
// pages (unsubscribe, preferences, subscribe .int.test.ts) and in ses-events.int.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscriberInput } from '../../src/audience/schemas.js';
import { LinkSigner, type LinkPurpose } from '../../src/signed-links.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { insertCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { databaseSnapshot } from '../helpers/snapshot.js';
import { SnsSigner, TEST_TOPIC_ARN, sesMessage } from '../support/sns-signer.js';

const PURPOSES: readonly LinkPurpose[] = ['unsubscribe', 'preferences', 'confirm', 'click'];
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** What each link's page does with a token: every request a reader (or a scanner) could make. */
const REQUESTS: Record<
  LinkPurpose,
  { method: string; path: (token: string) => string; body?: string; refused: number }[]
> = {
  unsubscribe: [
    { method: 'GET', path: (t) => `/unsubscribe/${t}`, refused: 400 },
    { method: 'POST', path: (t) => `/unsubscribe/${t}`, body: 'List-Unsubscribe=One-Click', refused: 400 },
  ],
  preferences: [
    { method: 'GET', path: (t) => `/preferences/${t}`, refused: 400 },
    { method: 'POST', path: (t) => `/preferences/${t}`, body: 'language=es&leave=yes', refused: 400 },
  ],
  confirm: [
    { method: 'GET', path: (t) => `/confirm/${t}`, refused: 400 },
    { method: 'POST', path: (t) => `/confirm/${t}`, body: '', refused: 400 },
    { method: 'POST', path: (t) => `/confirm/${t}/resend`, body: '', refused: 400 },
  ],
  click: [{ method: 'GET', path: (t) => `/c/${t}`, refused: 404 }],
};

/** The token with one character of its signature changed (in the middle: the last one may carry unused bits). */
function flipSignature(token: string): string {
  const [payload, signature] = token.split('.') as [string, string];
  const at = 5;
  return `${payload}.${signature.slice(0, at)}${signature[at] === 'A' ? 'B' : 'A'}${signature.slice(at + 1)}`;
}

/** Another payload under the same signature. */
function swapPayload(token: string, payload: string): string {
  return `${Buffer.from(payload).toString('base64url')}.${token.split('.')[1]}`;
}

describe.each(databaseKinds())(
  'signed links that were tampered with, cut, re-aimed, reused or expired, on %s',
  (kind) => {
    let app: TestApp;
    const payloads = {} as Record<LinkPurpose, string>;
    /** The same kind of payload, naming another reader (or link). */
    const others = {} as Record<LinkPurpose, string>;
    let pendingId: number;
    let expires: number;

    beforeAll(async () => {
      app = await startTestApp(kind);
      const { stores } = app;
      const create = async (email: string, status: 'active' | 'pending') =>
        (await stores.subscribers.create(SubscriberInput.parse({ email, status }), 'api')).id;
      const ana = await create('ana@example.org', 'active');
      const beto = await create('beto@example.org', 'active');
      pendingId = await create('pending@example.org', 'pending');
      const otherPending = await create('pending2@example.org', 'pending');
      const bulletin = await stores.bulletins.create(exampleBulletin());
      const campaignId = await insertCampaign(app.db, bulletin);
      const link = async (url: string) =>
        (
          await app.db.database.db
            .insertInto('campaign_links')
            .values({ campaign_id: campaignId, block: 0, url })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      expires = Math.floor(Date.now() / 1000) + 3600;
      Object.assign(payloads, {
        unsubscribe: `${ana}:${campaignId}`,
        preferences: String(ana),
        confirm: `${pendingId}:${expires}`,
        click: String(await link('https://example.net/petition')),
      });
      Object.assign(others, {
        unsubscribe: `${beto}:${campaignId}`,
        preferences: String(beto),
        confirm: `${otherPending}:${expires}`,
        click: String(await link('https://example.net/other')),
      });
    });
    afterAll(() => app?.close());

    let requests = 0;
    /** Each from an address of its own, so the resend throttle (10 per IP) does not answer in the signature's place. */
    const send = (request: (typeof REQUESTS)[LinkPurpose][number], token: string) =>
      fetch(`${app.baseUrl}${request.path(token)}`, {
        method: request.method,
        redirect: 'manual',
        headers: { 'x-forwarded-for': `198.51.100.${++requests % 250}`, ...(request.body !== undefined ? FORM : {}) },
        body: request.body,
      });

    it.each(PURPOSES)(
      '%s: a link not exactly as signed, for this purpose, with our secret, is refused and changes nothing',
      async (purpose) => {
        const { signer } = app.stores;
        const good = signer.sign(purpose, payloads[purpose]);
        const [payload, signature] = good.split('.') as [string, string];
        const bad: Record<string, string> = {
          'a changed signature': flipSignature(good),
          'another reader under this signature': swapPayload(good, others[purpose]),
          'cut by one character': good.slice(0, -1),
          'cut in the signature': good.slice(0, -10),
          'the payload alone': payload,
          'an empty signature': `${payload}.`,
          'the signature alone': `.${signature}`,
          'an extra part': `${good}.${signature}`,
          'signed with another secret': new LinkSigner('another-secret-another-secret-another-0123').sign(
            purpose,
            payloads[purpose],
          ),
          ...Object.fromEntries(
            PURPOSES.filter((p) => p !== purpose).map((p) => [`signed for ${p}`, signer.sign(p, payloads[purpose])]),
          ),
        };
        if (purpose === 'confirm')
          bad['a later expiry under the old signature'] = swapPayload(good, `${pendingId}:${expires + 365 * 86400}`);

        const before = await databaseSnapshot(app.db);
        const answers: string[] = [];
        for (const [name, token] of Object.entries(bad)) {
          for (const request of REQUESTS[purpose]) {
            const res = await send(request, token);
            await res.body?.cancel();
            if (res.status !== request.refused || res.headers.has('location'))
              answers.push(`${name}: ${request.method} ${res.status}`);
          }
        }
        expect(answers).toEqual([]);
        expect(await databaseSnapshot(app.db)).toEqual(before);

        // The genuine link works, so the refusals above are the signature's doing.
        const res = await send(REQUESTS[purpose][0]!, good);
        await res.body?.cancel();
        expect(res.status).toBe(purpose === 'click' ? 302 : 200);
      },
    );

    it('an expired confirmation link confirms nothing, asked or posted, and offers a new mail instead', async () => {
      const expired = app.stores.signer.sign('confirm', `${pendingId}:${Math.floor(Date.now() / 1000) - 1}`);
      const before = await databaseSnapshot(app.db);
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${app.baseUrl}/confirm/${expired}`, {
          method,
          ...(method === 'POST' ? { headers: FORM, body: '' } : {}),
        });
        expect(res.status).toBe(200);
        const html = await res.text();
        expect(html).toContain('<h1>This link has expired</h1>');
        expect(html).not.toContain('confirmed');
      }
      expect(await databaseSnapshot(app.db)).toEqual(before);
    });
  },
);

describe.each(databaseKinds())(
  'SNS messages replayed, re-aimed or from outside SNS, through the app, on %s',
  (kind) => {
    let app: TestApp;
    let closed: TestApp;
    let sns: SnsSigner;
    const visited: string[] = [];
    const bounceOf = (email: string, id: string) => sesMessage.bounce([email], 'Permanent', id);

    beforeAll(async () => {
      sns = new SnsSigner();
      const options = {
        fetchCertificate: sns.fetchCertificate,
        confirmSubscription: async (url: string) => void visited.push(url),
      };
      [app, closed] = await Promise.all([
        startTestApp(kind, {
          ...options,
          env: { SNS_TOPIC_ARNS: `${TEST_TOPIC_ARN},arn:aws:sns:us-east-1:123456789012:second` },
        }),
        // SNS_TOPIC_ARNS left empty: nothing is accepted.
        startTestApp(kind, options),
      ]);
      for (const target of [app, closed]) {
        await target.stores.subscribers.create(
          SubscriberInput.parse({ email: 'reader@example.org', status: 'active' }),
          'api',
        );
      }
    });
    afterAll(() => Promise.all([app?.close(), closed?.close()]));

    const post = async (target: TestApp, message: unknown) => {
      const res = await fetch(`${target.baseUrl}/webhooks/ses`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=UTF-8' },
        body: JSON.stringify(message),
      });
      return { status: res.status, outcome: ((await res.json()) as { outcome: string }).outcome };
    };

    it('a genuine notification replayed under a new MessageId fails its signature and changes nothing', async () => {
      const genuine = sns.notification(bounceOf('reader@example.org', 'ses-1'));
      const before = await databaseSnapshot(app.db);
      expect(await post(app, { ...genuine, MessageId: `${genuine.MessageId}-again` })).toEqual({
        status: 403,
        outcome: 'bad_signature',
      });
      expect(await post(app, { ...genuine, Timestamp: new Date(Date.now() + 60_000).toISOString() })).toEqual({
        status: 403,
        outcome: 'bad_signature',
      });
      // Signed for one accepted topic, sent as from the other.
      expect(await post(app, { ...genuine, TopicArn: 'arn:aws:sns:us-east-1:123456789012:second' })).toEqual({
        status: 403,
        outcome: 'bad_signature',
      });
      expect(await databaseSnapshot(app.db)).toEqual(before);
    });

    it('a genuine notification sent again is applied once: the copy answers duplicate, changes nothing', async () => {
      const email = 'twice@example.org';
      await app.stores.subscribers.create(SubscriberInput.parse({ email, status: 'active' }), 'api');
      const genuine = sns.notification(sesMessage.bounce([email], 'Transient', 'ses-2'));
      expect(await post(app, genuine)).toEqual({ status: 200, outcome: 'bounce' });
      const after = await databaseSnapshot(app.db);
      for (let i = 0; i < 3; i++) expect(await post(app, genuine)).toEqual({ status: 200, outcome: 'duplicate' });
      expect(await databaseSnapshot(app.db)).toEqual(after);
    });

    it('a certificate URL that only looks like SNS is refused before anything is fetched', async () => {
      const before = await databaseSnapshot(app.db);
      sns.fetched.length = 0;
      for (const certUrl of [
        'https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-1.pem',
        'https://user@sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem',
        'https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-1.pem',
        'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.txt',
        // An S3 bucket named "sns" (AWS's own validator trusts it), and SNS in another region than the topic's.
        'https://sns.s3.amazonaws.com/SimpleNotificationService-1.pem',
        'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-1.pem',
      ]) {
        expect(
          await post(app, sns.notification(bounceOf('reader@example.org', 'ses-3'), { certUrl })),
          certUrl,
        ).toEqual({ status: 403, outcome: 'untrusted_certificate' });
      }
      expect(sns.fetched).toEqual([]);
      expect(await databaseSnapshot(app.db)).toEqual(before);
    });

    it('a subscription confirmation from an unknown topic or pointing outside SNS is not visited', async () => {
      const before = await databaseSnapshot(app.db);
      visited.length = 0;
      expect(
        await post(app, sns.subscriptionConfirmation({ topicArn: 'arn:aws:sns:us-east-1:999999999999:someone-else' })),
      ).toEqual({ status: 403, outcome: 'unknown_topic' });
      // Signed by the right key: only the URL is wrong.
      for (const url of [
        'https://evil.example/?Action=ConfirmSubscription&Token=x',
        'http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=x',
        'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=x',
      ]) {
        const { Signature: _, SignatureVersion: __, SigningCertURL: ___, ...unsigned } = sns.subscriptionConfirmation();
        expect(await post(app, sns.sign({ ...unsigned, SubscribeURL: url })), url).toEqual({
          status: 403,
          outcome: 'untrusted_subscribe_url',
        });
      }
      expect(visited).toEqual([]);
      expect(await databaseSnapshot(app.db)).toEqual(before);
    });

    it('with SNS_TOPIC_ARNS empty, even a genuine message is refused', async () => {
      const before = await databaseSnapshot(closed.db);
      expect(await post(closed, sns.notification(bounceOf('reader@example.org', 'ses-4')))).toEqual({
        status: 403,
        outcome: 'unknown_topic',
      });
      expect(await post(closed, sns.subscriptionConfirmation())).toEqual({ status: 403, outcome: 'unknown_topic' });
      expect(visited).toEqual([]);
      expect(await databaseSnapshot(closed.db)).toEqual(before);
    });
  },
);

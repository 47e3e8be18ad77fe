// SES_SEND_MODE=bulk: a campaign goes out 50 readers a SendBulkEmail call from a template stored
// per campaign and language, through the real SDK. Against aws-ses-v2-local, which renders the
// stored template as SES does: every reader mailed once with their own name (escaped once), their
// own unsubscribe header and links, their blocks; an address SES refuses fails its row alone; the
// templates are deleted when the campaign ends. Against the scripted SES: throttled entries and
// calls are retried as in simple mode, each mail still sent once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSesEmulator, type SesEmulator } from '../../src/sending/ses-emulator.js';
import { startTestApp, TEST_PUBLIC_URL, type TestApp } from '../helpers/app.js';
import { exampleBulletin } from '../helpers/bulletins.js';
import { importAudience, sendableBulletin, waitForCampaign } from '../helpers/campaigns.js';
import { databaseKinds } from '../helpers/databases.js';
import { ScriptedSes } from '../support/scripted-ses.js';

interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
}

const SEND_TIMEOUT = 120_000;
const HOSTILE = '<script>alert(1)</script> {{first_name}} & Co';

/** The example bulletin, greeting each reader by name and with a block only donors get. */
function greetingBulletin() {
  const document = exampleBulletin();
  document.subject = { en: 'News for {{first_name|you}}', es: 'Noticias para {{first_name|ti}}' };
  document.blocks.unshift(
    { type: 'text', body: { en: 'Hello {{first_name|friend}}!', es: '¡Hola {{first_name|amistad}}!' } },
    { type: 'text', body: { en: 'Thank you, donor.', es: 'Gracias, donante.' }, audience: { tag: 'donor' } },
  );
  return document;
}

describe.each(databaseKinds())('sending in bulk on %s', (kind) => {
  let ses: SesEmulator;
  let app: TestApp;
  const inbox = async (): Promise<StoredEmail[]> =>
    ((await (await fetch(`${ses.url}/store`)).json()) as { emails: StoredEmail[] }).emails;
  /** The names of the templates the emulator holds (its /store lists them beside the mails). */
  const storedTemplates = async (): Promise<string[]> =>
    Object.keys(((await (await fetch(`${ses.url}/store`)).json()) as { templates: object }).templates);

  beforeAll(async () => {
    ses = await startSesEmulator(0);
    await fetch(`${ses.url}/clear-store`, { method: 'POST' });
    app = await startTestApp(kind, { sesEndpoint: ses.url, worker: true, env: { SES_SEND_MODE: 'bulk' } });
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  it(
    'mails every reader once, their own name escaped once, their own unsubscribe header and links, their blocks',
    async () => {
      const bulletinId = await sendableBulletin(app, greetingBulletin());
      await importAudience(app, 120, 'bulk', 'bulk.org');
      for (const [email, name, tags] of [
        ['hostile@bulk.org', HOSTILE, ['donor']],
        ['donor@bulk.org', 'Dana Donor', ['donor']],
        ['broken@bulk.org', 'Broken Address', []],
      ] as const) {
        const res = await app.request('POST', '/api/subscribers', {
          json: { email, name, language: 'en', status: 'active', topics: ['weekly-bulletin'], tags },
        });
        expect(res.status).toBe(201);
      }
      // An address SES refuses, among valid ones: written straight to the database, since the API would not take it.
      await app.db.database.db
        .updateTable('subscribers')
        .set({ email: 'broken address@bulk.org' })
        .where('email', '=', 'broken@bulk.org')
        .execute();

      const res = await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { resend: true, rule: { emailDomain: 'bulk.org' } },
      });
      expect(res.status).toBe(201);
      const campaign = await res.json();
      const report = await waitForCampaign(app, campaign.id, ['sent']);
      expect(report.counts).toMatchObject({ total: 123, sent: 122, failed: 1, queued: 0, sending: 0, unknown: 0 });
      expect(report.lastErrors[0].error).toMatch(/^FAILED: /);
      expect(report.lastErrors[0].error).not.toContain('broken address');

      const mails = (await inbox()).filter((m) => m.destination.to[0]!.endsWith('@bulk.org'));
      expect(mails).toHaveLength(122);
      const byAddress = new Map(mails.map((m) => [m.destination.to[0]!, m]));
      expect(byAddress.size).toBe(122);
      const ids = new Map(
        (await app.db.database.db.selectFrom('subscribers').select(['id', 'email']).execute()).map((r) => [
          r.email,
          r.id,
        ]),
      );
      const links = new Set<string>();
      for (const [to, mail] of byAddress) {
        const headers = Object.fromEntries((mail.headers ?? []).map((h) => [h.name, h.value]));
        expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
        expect(headers['List-Id']).toBe('"NNIRR weekly-bulletin" <weekly-bulletin.news.example.org>');
        const link = /^<(.+)>$/.exec(headers['List-Unsubscribe'] ?? '')?.[1];
        expect(link).toMatch(new RegExp(`^${TEST_PUBLIC_URL}/unsubscribe/`));
        expect(app.stores.signer.verify('unsubscribe', link!.split('/').at(-1)!)).toBe(`${ids.get(to)}:${campaign.id}`);
        expect(mail.body.html).toContain(`href="${link}"`);
        expect(mail.body.text).toContain(`: ${link}`);
        expect(mail.body.html).toMatch(new RegExp(`${TEST_PUBLIC_URL}/preferences/`));
        links.add(link!);
        const i = /^bulk(\d+)@/.exec(to)?.[1];
        if (i !== undefined) {
          const spanish = Number(i) % 3 === 0;
          expect(mail.subject).toBe(spanish ? `Noticias para Person` : `News for Person`);
          expect(mail.body.html).toContain(spanish ? `¡Hola Person!` : `Hello Person!`);
          expect(mail.body.html).not.toContain('donante');
          expect(mail.body.html).not.toContain('Thank you, donor.');
        }
      }
      expect(links.size).toBe(122);

      const donor = byAddress.get('donor@bulk.org')!;
      expect(donor.body.html).toContain('Thank you, donor.');
      expect(donor.body.text).toContain('Thank you, donor.');
      const hostile = byAddress.get('hostile@bulk.org')!;
      expect(hostile.body.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;!');
      expect(hostile.body.html).not.toContain('<script>alert');
      expect(hostile.body.html).not.toContain('&amp;lt;');
      expect(hostile.subject).toBe('News for <script>alert(1)</script>');
      expect(hostile.body.text).toContain('Hello <script>alert(1)</script>!');
      expect(hostile.body.html).toContain('Thank you, donor.');

      // The ledger holds each message id SES gave; the stored templates went with the campaign.
      const ledger = await app.db.database.db
        .selectFrom('deliveries')
        .select(['message_id'])
        .where('campaign_id', '=', campaign.id)
        .where('status', '=', 'sent')
        .execute();
      expect(new Set(ledger.map((d) => d.message_id))).toEqual(new Set(mails.map((m) => m.messageId)));
      expect((await storedTemplates()).filter((name) => name.startsWith(`pregon-${campaign.id}-`))).toEqual([]);
    },
    SEND_TIMEOUT,
  );
});

describe.each(databaseKinds())('bulk sends under SES faults on %s', (kind) => {
  let ses: ScriptedSes;
  let app: TestApp;
  let bulletinId: number;

  beforeAll(async () => {
    ses = await new ScriptedSes().start();
    app = await startTestApp(kind, {
      sesEndpoint: ses.url,
      worker: true,
      env: { SES_MAX_SEND_RATE: '100', SEND_ERROR_LIMIT: '50', SES_SEND_MODE: 'bulk' },
    });
    bulletinId = await sendableBulletin(app);
  });
  afterAll(async () => {
    await app.close();
    await ses.close();
  });

  it(
    'retries throttled calls and entries until each is sent once, and fails rejected entries for good',
    async () => {
      await importAudience(app, 90, 't', 'throttle.org');
      ses.throttleBulkCalls = 2;
      ses.script = (to, attempt) => {
        if (to === 't1@throttle.org') return attempt < 2 ? 'throttle' : 'accept';
        if (to === 't2@throttle.org') return attempt < 1 ? 'fault' : 'accept';
        if (to === 't4@throttle.org') return 'reject';
        return 'accept';
      };
      const res = await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { resend: true, rule: { emailDomain: 'throttle.org' } },
      });
      const { id } = await res.json();
      const report = await waitForCampaign(app, id, ['sent']);
      expect(report.counts).toMatchObject({ total: 90, sent: 89, failed: 1, queued: 0, sending: 0, unknown: 0 });
      for (let i = 0; i < 90; i++) expect(ses.count(`t${i}@throttle.org`), `t${i}`).toBe(i === 4 ? 0 : 1);
      expect(ses.attempts.get('t1@throttle.org')).toBe(3);
      expect(ses.attempts.get('t2@throttle.org')).toBe(2);
      expect(report.lastErrors.find((e: { status: string }) => e.status === 'failed').error).toMatch(
        /^MESSAGE_REJECTED/,
      );
      expect(Math.max(...ses.bulkCalls)).toBeLessThanOrEqual(50);
      // Each mail names its row and carries the one-click headers; the templates went with the campaign.
      const first = ses.received.find((m) => m.to === 't0@throttle.org')!;
      expect(first.headers['List-Unsubscribe']).toMatch(/^<.+\/unsubscribe\/.+>$/);
      expect(first.tags).toMatchObject({ campaign: String(id) });
      expect(Number(first.tags.delivery)).toBeGreaterThan(0);
      expect([...ses.templates.keys()].filter((name) => name.startsWith(`pregon-${id}-`))).toEqual([]);
      expect(ses.deletedTemplates.filter((name) => name.startsWith(`pregon-${id}-`)).length).toBeGreaterThan(0);
    },
    SEND_TIMEOUT,
  );

  it(
    'stores a deleted template again when failed rows are retried after the campaign ended',
    async () => {
      await importAudience(app, 4, 'g', 'gone.org');
      ses.script = (to, attempt) => (to === 'g1@gone.org' && attempt === 0 ? 'reject' : 'accept');
      const res = await app.request('POST', `/api/bulletins/${bulletinId}/send`, {
        json: { resend: true, rule: { emailDomain: 'gone.org' } },
      });
      const { id } = await res.json();
      expect((await waitForCampaign(app, id, ['sent'])).counts).toMatchObject({ sent: 3, failed: 1 });
      expect((await app.request('POST', `/api/campaigns/${id}/retry-failed`, { json: {} })).status).toBe(200);
      expect((await waitForCampaign(app, id, ['sent'])).counts).toMatchObject({ sent: 4, failed: 0 });
      for (let i = 0; i < 4; i++) expect(ses.count(`g${i}@gone.org`)).toBe(1);
    },
    SEND_TIMEOUT,
  );
});

// Deliverability, spam filters and size: every example bulletin in each of its languages, and
// the subscribe confirmation mail, sent through the real app to the SES emulator, rebuilt as
// MIME and scored by SpamAssassin (local rules). Each must score 0.5 or less, and a bulletin's
// personalised HTML must stay under Gmail's 102 KB clip. The rules hit are printed, so the CI
// log shows what moved a score. docs/deliverability.md has the figures.
//
// SQLite only: what is measured is the mail, which no database kind changes.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BulletinDocument } from '../../src/bulletins/document.js';
import { GMAIL_CLIP_BYTES } from '../../src/render/checks.js';
import { startSesEmulator, type SesEmulator } from '../../src/sending/ses-emulator.js';
import { PAGE_LANGUAGES } from '../../src/supporters/language.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { waitForCampaign } from '../helpers/campaigns.js';
import { requireSpamAssassin, scoreMessage } from '../helpers/spamassassin.js';

const MAX_SCORE = 0.5;
const EXAMPLES_DIR = new URL('../../examples/', import.meta.url);

/** Every bulletin under examples/, so a new one is covered without anyone remembering to. */
const examples = readdirSync(EXAMPLES_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({
    name,
    document: BulletinDocument.parse(JSON.parse(readFileSync(new URL(name, EXAMPLES_DIR), 'utf8'))),
  }));

const StoredEmail = z.object({
  messageId: z.string(),
  destination: z.object({ to: z.array(z.string()) }),
  body: z.object({ html: z.string().optional() }),
});
type StoredEmail = z.infer<typeof StoredEmail>;

/** The emulator's rebuilt message: nodemailer's Buffer, serialised by express as JSON. */
const EmlContent = z.object({ body: z.object({ type: z.literal('Buffer'), data: z.array(z.number()) }) });

const readerOf = (language: string) => `reader-${language}@example.org`;
const confirmationTo = (language: string) => `new-${language}@example.org`;

describe('the mail, scored by SpamAssassin and measured', () => {
  let ses: SesEmulator;
  let app: TestApp;
  const sent = new Map<string, StoredEmail>();

  const store = async (): Promise<StoredEmail[]> =>
    z.object({ emails: z.array(StoredEmail) }).parse(await (await fetch(`${ses.url}/store`)).json()).emails;

  /** The first mail to `address` that is not one of `earlier` (message ids). */
  async function mailTo(address: string, earlier = new Set<string>()): Promise<StoredEmail> {
    for (let i = 0; i < 300; i++) {
      const mail = (await store()).find((m) => m.destination.to[0] === address && !earlier.has(m.messageId));
      if (mail) return mail;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no mail reached ${address}`);
  }

  async function mime(mail: StoredEmail): Promise<Buffer> {
    const res = await fetch(`${ses.url}/get-emlContent?messageId=${encodeURIComponent(mail.messageId)}`);
    if (!res.ok) throw new Error(`the emulator could not rebuild ${mail.messageId}: ${await res.text()}`);
    return Buffer.from(EmlContent.parse(await res.json()).body.data);
  }

  beforeAll(async () => {
    requireSpamAssassin();
    ses = await startSesEmulator(0);
    await fetch(`${ses.url}/clear-store`, { method: 'POST' });
    // The default test PUBLIC_URL is https, as production requires: http links cost points.
    app = await startTestApp('sqlite', { sesEmulator: ses, worker: true });
    await app.request('PUT', '/api/settings', {
      json: {
        organisationName: 'NNIRR',
        postalAddress: '310 8th Street, Suite 310, Oakland, CA 94607',
        senderEmail: 'bulletin@nnirr.org',
        senderName: 'NNIRR',
      },
    });
    const topics = [...new Set(examples.flatMap(({ document }) => (document.topic ? [document.topic] : [])))];
    for (const key of topics)
      await app.request('POST', '/api/topics', {
        json: { key, name: { en: 'Weekly bulletin', es: 'Boletín semanal' }, public: true },
      });

    // One reader a language; each campaign reaches all of them, one after the other.
    const languages = [...new Set(examples.flatMap(({ document }) => document.languages))];
    const lines = ['email,name,language,topics'];
    for (const language of languages) lines.push(`${readerOf(language)},Ana Reader,${language},${topics.join(';')}`);
    const imported = await app.request('POST', '/api/subscribers/import', {
      body: lines.join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
    if (imported.status !== 200) throw new Error(`import failed: ${await imported.text()}`);

    for (const { name, document } of examples) {
      const earlier = new Set((await store()).map((m) => m.messageId));
      const created = await app.request('POST', '/api/bulletins', { json: document });
      const { id } = await created.json();
      const campaign = await app.request('POST', `/api/bulletins/${id}/send`, { json: { rule: { all: [] } } });
      if (campaign.status !== 201) throw new Error(`${name} was not sent: ${await campaign.text()}`);
      await waitForCampaign(app, (await campaign.json()).id, ['sent']);
      for (const language of document.languages)
        sent.set(`${name}, ${language}`, await mailTo(readerOf(language), earlier));
    }

    for (const language of PAGE_LANGUAGES) {
      const form = await fetch(`${app.baseUrl}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `email=${encodeURIComponent(confirmationTo(language))}&name=Ana&language=${language}`,
      });
      if (form.status !== 200) throw new Error(`the subscribe form answered ${form.status}`);
      sent.set(`confirmation, ${language}`, await mailTo(confirmationTo(language)));
    }
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    await ses?.close();
  });

  /** "launch-petition-100-days.json, es", …, "confirmation, es" */
  const labels: string[] = [
    ...examples.flatMap(({ name, document }) => document.languages.map((language) => `${name}, ${language}`)),
    ...PAGE_LANGUAGES.map((language) => `confirmation, ${language}`),
  ];

  it.each(labels)(
    `%s scores at most ${MAX_SCORE} and stays under Gmail's clip`,
    async (label) => {
      const mail = sent.get(label)!;
      const html = mail.body.html ?? '';
      const { score, hits } = await scoreMessage(await mime(mail));
      const kb = (Buffer.byteLength(html) / 1024).toFixed(1);
      console.log(
        [
          `${label}: SpamAssassin ${score.toFixed(1)}, HTML ${kb} KB`,
          ...hits.map((h) => `  ${h.points.toFixed(1)} ${h.rule}  ${h.description}`),
        ].join('\n'),
      );
      expect(score, hits.map((h) => `${h.rule} ${h.points}`).join(', ')).toBeLessThanOrEqual(MAX_SCORE);
      expect(Buffer.byteLength(html)).toBeLessThan(GMAIL_CLIP_BYTES);
    },
    60_000,
  );
});

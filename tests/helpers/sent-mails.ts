// Every mail Pregón sends, as a reader's mail client receives its HTML: each bulletin under
// examples/ in each of its languages, rendered and personalised as the worker does, and the
// subscribe confirmation mail in both its languages. Read from the folder, so a new example is
// checked without anyone adding it here.
import { readdirSync, readFileSync } from 'node:fs';
import { confirmationEmail } from '../../emails/confirmation.js';
import { BulletinDocument } from '../../src/bulletins/document.js';
import { personalise } from '../../src/render/personalise.js';
import { renderBulletin } from '../../src/render/render.js';
import { ORGANISATION } from './bulletins.js';

export interface SentMail {
  /** e.g. "launch-petition-100-days (es)" or "confirmation (en)". */
  name: string;
  html: string;
}

const EXAMPLES = new URL('../../examples/', import.meta.url);
const READER = { subscriberId: 7, email: 'ana@example.org', name: 'Ana López García' };
const LINKS = {
  unsubscribe: 'https://news.example.org/u/tok-u',
  preferences: 'https://news.example.org/preferences/tok-p',
  view: 'https://news.example.org/view/tok-v',
};
/** The topic the examples name (weekly-bulletin), as the example loader creates it. */
const TOPIC = { en: 'Weekly bulletin', es: 'Boletín semanal' };

function exampleFiles(): string[] {
  return readdirSync(EXAMPLES)
    .filter((file) => file.endsWith('.json'))
    .sort();
}

export async function sentMails(): Promise<SentMail[]> {
  const mails: SentMail[] = [];
  for (const file of exampleFiles()) {
    const doc = BulletinDocument.parse(JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')));
    for (const language of doc.languages) {
      const compiled = await renderBulletin(doc, language, { settings: ORGANISATION, topicName: TOPIC });
      const { html } = personalise(compiled, READER, LINKS);
      mails.push({ name: `${file.replace(/\.json$/, '')} (${language})`, html });
    }
  }
  for (const language of ['en', 'es']) {
    const { html } = await confirmationEmail({
      language,
      organisationName: ORGANISATION.organisationName,
      postalAddress: ORGANISATION.postalAddress,
      brandColor: ORGANISATION.brandColor,
      // As long as a real one: a subscriber id, an expiry and a signature.
      confirmUrl: 'https://news.example.org/confirm/MTIzNDU2OjE3OTY5MDAwMDA.Xk3v9aQ1vnNaTH_vjJ38w2',
    });
    mails.push({ name: `confirmation (${language})`, html });
  }
  return mails;
}

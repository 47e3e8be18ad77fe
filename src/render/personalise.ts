// A compiled bulletin + one recipient → the message for that person: merge fields filled and
// escaped, their own signed links, and the RFC 8058 one-click unsubscribe headers.
import type { LinkSigner } from '../signed-links.js';
import type { CompiledBulletin } from './render.js';
import { fillTemplate, type TemplateValues } from './template.js';

export interface Recipient {
  subscriberId: number;
  email: string;
  /** Full name as the subscriber gave it; first and last name are read from it. */
  name: string;
}

export interface RecipientLinks {
  unsubscribe: string;
  preferences: string;
  view: string;
}

export interface PersonalisedMessage {
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

export function personalise(bulletin: CompiledBulletin, recipient: Recipient, links: RecipientLinks): PersonalisedMessage {
  const [first = '', ...rest] = recipient.name.trim().split(/\s+/);
  const values: TemplateValues = {
    first_name: first,
    last_name: rest.join(' '),
    email: recipient.email,
    unsubscribe_url: links.unsubscribe,
    preferences_url: links.preferences,
    view_url: links.view,
  };
  return {
    subject: fillTemplate(bulletin.subject, values).trim(),
    html: fillTemplate(bulletin.html, values),
    text: fillTemplate(bulletin.text, values),
    headers: {
      'List-Unsubscribe': `<${headerSafe(links.unsubscribe)}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}

/**
 * The signed links of one recipient for one bulletin version. The pages behind them belong to
 * the supporters' side; the paths are fixed here so mail already sent keeps working.
 */
export function recipientLinks(signer: LinkSigner, publicUrl: string, subscriberId: number, bulletinVersionId: number): RecipientLinks {
  const subscriber = String(subscriberId);
  return {
    unsubscribe: `${publicUrl}/u/${signer.sign('unsubscribe', subscriber)}`,
    preferences: `${publicUrl}/preferences/${signer.sign('preferences', subscriber)}`,
    view: `${publicUrl}/view/${signer.sign('view', `${bulletinVersionId}:${subscriber}`)}`,
  };
}

/** No CR, LF or other control character may reach a header, whatever a value holds. */
function headerSafe(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, '');
}

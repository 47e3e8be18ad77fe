// A compiled bulletin + one recipient → the message for that person: merge fields filled and
// escaped, their own signed links, and the RFC 8058 one-click unsubscribe headers.
import type { LinkSigner } from '../signed-links.js';
import type { CompiledBulletin } from './render.js';
import { fillTemplate, type ShownBlocks, type TemplateValues } from './template.js';

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

/**
 * `shown`: the blocks with an audience this reader gets (their indices in the document), as
 * shownBlocks() reads them on the reader's row; every block when left out, as in a preview.
 */
export function personalise(
  bulletin: CompiledBulletin,
  recipient: Recipient,
  links: RecipientLinks,
  shown?: ShownBlocks,
): PersonalisedMessage {
  const values = recipientValues(recipient, links);
  return {
    subject: fillTemplate(bulletin.subject, values).trim(),
    html: fillTemplate(bulletin.html, values, shown),
    text: fillTemplate(bulletin.text, values, shown),
    headers: unsubscribeHeaders(links),
  };
}

/** The values a recipient's copy is filled with: their name, address and own links. */
export function recipientValues(recipient: Recipient, links: RecipientLinks): TemplateValues {
  const [first = '', ...rest] = recipient.name.trim().split(/\s+/);
  return {
    first_name: first,
    last_name: rest.join(' '),
    email: recipient.email,
    unsubscribe_url: links.unsubscribe,
    preferences_url: links.preferences,
    view_url: links.view,
  };
}

/** The RFC 8058 one-click unsubscribe headers of a recipient's copy. */
export function unsubscribeHeaders(links: RecipientLinks): Record<string, string> {
  return {
    'List-Unsubscribe': `<${headerSafe(links.unsubscribe)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/**
 * The values a public copy (the archive's) is filled with: nobody's name or address, so
 * `{{first_name|friend}}` shows its fallback, and no personal link: a preferences or unsubscribe
 * placeholder written in a block leads to the public subscribe page, "view in browser" to the archive.
 */
export function publicValues(publicUrl: string): TemplateValues {
  return {
    first_name: '',
    last_name: '',
    email: '',
    view_url: `${publicUrl}/archive`,
    preferences_url: `${publicUrl}/subscribe`,
    unsubscribe_url: `${publicUrl}/subscribe`,
  };
}

/** Who a copy is for: the campaign is 0 for previews and test sends. */
export interface LinkContext {
  subscriberId: number;
  campaignId: number;
  language: string;
  /** True when the campaign is published in the public archive: "view in browser" leads to its page there. */
  inArchive?: boolean;
}

/**
 * The links of one recipient's copy. Unsubscribe (which names the campaign, so a report can count
 * unsubscribes per campaign) and preferences are signed for the subscriber; "view in browser"
 * is the campaign's page in the public archive, the same for everyone, with nothing personal.
 * The pages behind them belong to the supporters' side; the paths are fixed here so mail already
 * sent keeps working.
 */
export function recipientLinks(signer: LinkSigner, publicUrl: string, to: LinkContext): RecipientLinks {
  return {
    unsubscribe: `${publicUrl}/unsubscribe/${signer.sign('unsubscribe', `${to.subscriberId}:${to.campaignId}`)}`,
    preferences: `${publicUrl}/preferences/${signer.sign('preferences', String(to.subscriberId))}`,
    view:
      to.campaignId && to.inArchive
        ? `${publicUrl}/archive/${to.campaignId}?lang=${encodeURIComponent(to.language)}`
        : `${publicUrl}/archive`,
  };
}

/** No CR, LF or other control character may reach a header, whatever a value holds. */
function headerSafe(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, '');
}

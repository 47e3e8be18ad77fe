// The From of bulk and test mail: the sender in settings, else MAIL_FROM, written as SES takes
// it: a display name in printable ASCII as a quoted-string, any other as RFC 2047 encoded-words.
import type { Settings } from '../settings/settings.js';

export interface Mailbox {
  name: string;
  address: string;
}

export function fromAddress(settings: Settings, mailFrom: string): string {
  if (settings.senderEmail) return formatMailbox({ name: settings.senderName, address: settings.senderEmail });
  // MAIL_FROM was checked when the configuration was read.
  return formatMailbox(parseMailbox(mailFrom) ?? { name: '', address: mailFrom });
}

/** `Name <address>`, `"Name" <address>` or a bare address, as MAIL_FROM is written; undefined for anything else. */
export function parseMailbox(text: string): Mailbox | undefined {
  // The name is a quoted-string, or plain text with no quote or angle bracket.
  const match = /^\s*(?:(?:"((?:[^"\\]|\\.)*)"|([^<>"]*?))\s*<([^<>\s]+)>|([^<>\s]+))\s*$/s.exec(text);
  if (!match) return undefined;
  if (match[4] !== undefined) return { name: '', address: match[4] };
  return { name: match[1] !== undefined ? match[1].replace(/\\(.)/gs, '$1') : match[2]!, address: match[3]! };
}

/** The mailbox as a header value; a name that is empty once cleaned leaves the bare address. */
export function formatMailbox({ name, address }: Mailbox): string {
  // Nothing in a name may end the header or hide in it.
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  if (!clean) return address;
  // Quotes and backslashes are escaped as quoted-pairs (RFC 5322 3.2.4), so a comma or a quote
  // in the name can neither end it nor start another address.
  const display = /^[\x20-\x7e]*$/.test(clean) ? `"${clean.replace(/["\\]/g, '\\$&')}"` : encodedWords(clean);
  return `${display} <${address}>`;
}

/**
 * 45 bytes make 60 base64 characters, 72 with `=?UTF-8?B?` and `?=`: the most that stays within
 * RFC 2047's 75 characters a word.
 */
const WORD_BYTES = 45;

/** RFC 2047 B-encoded words, cut between characters (never inside one), separated by spaces that readers drop. */
function encodedWords(text: string): string {
  const chunks = [''];
  for (const char of text) {
    if (Buffer.byteLength(chunks.at(-1)! + char) > WORD_BYTES) chunks.push('');
    chunks[chunks.length - 1] += char;
  }
  return chunks.map((chunk) => `=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`).join(' ');
}

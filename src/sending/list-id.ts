// The List-Id header (RFC 2919): which list a mail comes from, so a reader's client can filter and
// group it: `"NNIRR weekly-bulletin" <weekly-bulletin.news.nnirr.org>`, one list per topic.
import { isIP } from 'node:net';
import { formatMailbox, parseMailbox } from './from-address.js';

/** The label of a bulletin sent with no topic, to everyone. */
const ALL = 'all';

/**
 * The list is named in the organisation's own domain: PUBLIC_URL's host, or the From address's
 * domain when PUBLIC_URL is an IP address (RFC 2919 asks for a domain name).
 */
export function listId(organisation: string, topic: string | null, publicUrl: string, from: string): string {
  const host = new URL(publicUrl).hostname;
  const domain = isIP(host.replace(/^\[|\]$/g, '')) ? fromDomain(from) : host;
  // A topic key is lower-case letters, digits and dashes: a dot-atom label as it stands.
  const id = `${topic ?? ALL}.${domain}`;
  // The description is a phrase like a mailbox's name, quoted or encoded the same way.
  const header = formatMailbox({ name: `${organisation} ${topic ?? ''}`, address: id });
  return header.endsWith('>') ? header : `<${header}>`;
}

function fromDomain(from: string): string {
  const address = parseMailbox(from)?.address ?? from;
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

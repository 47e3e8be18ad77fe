// A short plain mail to staff (never to subscribers), through the same sender as every mail,
// ending with a link into the staff app: an approval asked or declined, a webhook endpoint disabled.
import { escapeHtml } from '../render/html.js';
import { fromAddress } from './from-address.js';
import type { Sender } from './ses-sender.js';
import type { Settings } from '../settings/settings.js';

export interface StaffMail {
  subject: string;
  /** What happened, ending where the link follows. */
  sentence: string;
  link: string;
  /** The SES tags of the message, saying what it is about. */
  tags: Record<string, string>;
}

/**
 * Mails each address in turn; one that cannot go is skipped, since what it tells is also on a
 * screen of the staff app. Returns the addresses it went to.
 */
export async function mailStaff(
  deps: { sender: Sender; mailFrom: string },
  settings: Settings,
  addresses: readonly string[],
  { subject, sentence, link, tags }: StaffMail,
): Promise<string[]> {
  const text = `${sentence} ${link}`;
  const html = `<p>${escapeHtml(sentence)} <a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`;
  const from = fromAddress(settings, deps.mailFrom);
  const sent = [];
  for (const to of addresses) {
    try {
      await deps.sender.send({ from, to, subject, html, text, headers: {}, tags });
      sent.push(to);
    } catch {
      // Told or not, staff find it in the staff app.
    }
  }
  return sent;
}

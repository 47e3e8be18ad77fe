// The From of bulk and test mail: the sender in settings, else MAIL_FROM.
import type { Settings } from '../settings/settings.js';

export function fromAddress(settings: Settings, mailFrom: string): string {
  if (!settings.senderEmail) return mailFrom;
  // A display name is quoted, and nothing in it may end the quote or the header, or hide in it.
  const name = settings.senderName.replace(/["\\\u0000-\u001f\u007f]/g, '').trim();
  return name ? `"${name}" <${settings.senderEmail}>` : settings.senderEmail;
}

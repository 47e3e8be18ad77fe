// The bulletin as a line in Gmail's inbox, on a computer and on a phone: the sender, the subject and
// the preheader a reader sees before opening it, cut where Gmail cuts them.
import { type Localised, pick } from '../../bulletins/document.js';
import { wordsFor } from '../../words/catalogue.js';
import { withFallbacks } from '../../render/template.js';
import type { Settings } from '../../settings/settings.js';

/**
 * How many characters Gmail shows, measured in its default density with proportional fonts, so
 * each figure is "about". On a computer (a 1440 px window, the menu open) the sender column holds
 * ~20 characters, and subject, " - " and preheader share one line of ~730 px: ~110 characters of
 * 14 px text. The phone app at 390 px gives each its own line: sender ~25 (beside the time),
 * subject ~36, preheader ~40 (beside the star); published measurements of the app agree (subject
 * 30–40, one line of preview).
 */
export const GMAIL = {
  computer: { sender: 20, line: 110 },
  phone: { sender: 25, subject: 36, preheader: 40 },
} as const;

/** Gmail's mark between the subject and the preheader on a computer. */
export const SEPARATOR = ' - ';

/** A text as shown in a space of `limit` characters: all of it, or its start and an ellipsis. */
export interface Cut {
  shown: string;
  /** In characters (code points), as the subject check counts. */
  length: number;
  limit: number;
  cut: boolean;
}

export function cutAt(text: string, limit: number): Cut {
  const characters = [...text];
  const length = characters.length;
  if (length <= limit) return { shown: text, length, limit, cut: false };
  const start = characters.slice(0, Math.max(0, limit)).join('').trimEnd();
  return { shown: start ? `${start}…` : '', length, limit, cut: true };
}

export interface InboxTexts {
  /** Undefined when settings name no sender address: the server's MAIL_FROM sends. */
  sender: string | undefined;
  subject: string;
  preheader: string;
  /** No preheader was written: inboxes show the mail's first text instead. */
  preheaderFromBody: boolean;
}

/**
 * What an inbox shows of the bulletin in `language`: its texts (or the fallback language's) with
 * each merge field at its fallback, as a reader without a name gets them and as the subject check
 * counts them.
 */
export function inboxTexts(
  doc: { languages: string[]; subject: Localised; preheader?: Localised | undefined },
  language: string,
  settings: Pick<Settings, 'senderName' | 'senderEmail'> & Partial<Pick<Settings, 'defaultLanguage' | 'wording'>>,
): InboxTexts {
  const fallback = doc.languages[0]!;
  const oneLine = (text: string) => withFallbacks(text).replace(/\s+/g, ' ').trim();
  const preheader = oneLine(pick(doc.preheader, language, fallback));
  return {
    sender: sender(settings),
    subject: oneLine(pick(doc.subject, language, fallback)),
    // The mail's first text is its "view in your browser" link (src/render/theme.ts).
    preheader: preheader || viewInBrowser(language, settings),
    preheaderFromBody: !preheader,
  };
}

/** The mail's own "view in your browser" words, the organisation's when it wrote some. */
function viewInBrowser(language: string, settings: Partial<Pick<Settings, 'defaultLanguage' | 'wording'>>): string {
  const { defaultLanguage = 'en', wording } = settings;
  return wordsFor(language, { defaultLanguage, wording }).footer.viewInBrowser;
}

/** Gmail shows a From without a name as the address's part before the @. */
function sender({ senderName, senderEmail }: Pick<Settings, 'senderName' | 'senderEmail'>): string | undefined {
  if (!senderEmail) return undefined;
  return senderName.trim() || senderEmail.slice(0, senderEmail.lastIndexOf('@'));
}

export interface ComputerRow {
  sender: Cut;
  subject: Cut;
  /** What is left of the line after the subject and the separator; empty when the subject fills it. */
  preheader: Cut;
  /** Subject, separator and preheader, as one line. */
  line: Cut;
}

export function computerRow(texts: InboxTexts): ComputerRow {
  const { line } = GMAIL.computer;
  const subject = cutAt(texts.subject, line);
  const room = line - subject.length - SEPARATOR.length;
  return {
    sender: cutAt(texts.sender ?? '', GMAIL.computer.sender),
    subject,
    preheader: cutAt(texts.preheader, room),
    line: cutAt(`${texts.subject}${SEPARATOR}${texts.preheader}`, line),
  };
}

export interface PhoneRow {
  sender: Cut;
  subject: Cut;
  preheader: Cut;
}

export function phoneRow(texts: InboxTexts): PhoneRow {
  const { phone } = GMAIL;
  return {
    sender: cutAt(texts.sender ?? '', phone.sender),
    subject: cutAt(texts.subject, phone.subject),
    preheader: cutAt(texts.preheader, phone.preheader),
  };
}

/** "Subject: ~36 of 52 characters shown on a phone", or "all 24 characters". */
export function shownNote(label: string, cut: Cut, where: string): string {
  return cut.cut
    ? `${label}: ~${Math.max(0, cut.limit)} of ${cut.length} characters shown ${where}`
    : `${label}: all ${cut.length} characters shown ${where}`;
}

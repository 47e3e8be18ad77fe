// /admin/mail: the mail the local SES emulator received, for signed-in staff, in development only.
// The emulator's own viewer shows a mail in a frame where a link to a public page breaks (those
// pages refuse framing); here each mail's HTML sits in a sandboxed frame whose links open in a
// new tab. The mail holds real subscribers' signed links, so a stranger is sent to sign in.
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { sessionToken } from '../staff/session-cookie.js';
import { escapeHtml } from '../render/html.js';
import type { SessionStore } from '../staff/sessions.js';

export const MAIL_VIEWER_PATH = '/admin/mail';

/** A message as the emulator received it. */
export interface ReceivedMail {
  id: string;
  from: string;
  to: readonly string[];
  subject: string;
  html: string | undefined;
  text: string | undefined;
  receivedAt: Date;
}

/** Where the viewer reads mail from: the in-process SES emulator. */
export interface Mailbox {
  /** Every message received, oldest first. */
  mails(): Promise<ReceivedMail[]>;
}

export interface MailViewerDeps {
  mailbox: Mailbox;
  sessions: SessionStore;
}

/**
 * The mailbox the viewer may show: the emulator's, when it is the sender (main.ts starts it only
 * then), and never in production, whatever sends the mail there.
 */
export function developmentMailbox(nodeEnv: string, emulator: Mailbox | undefined): Mailbox | undefined {
  return nodeEnv === 'production' ? undefined : emulator;
}

/**
 * The frame's own rules, sent with the mail's HTML so they hold even when it is opened alone: no
 * script, no form, images from anywhere (as a mail client shows them), links may open a new tab
 * and nothing else, and only the viewer may frame it.
 */
const MAIL_CSP = [
  "default-src 'none'",
  'img-src https: http: data:',
  "style-src 'unsafe-inline'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
  'sandbox allow-popups allow-popups-to-escape-sandbox',
].join('; ');
/** The same, for the frame element: without allow-same-origin the mail cannot reach the viewer. */
const FRAME_SANDBOX = 'allow-popups allow-popups-to-escape-sandbox';
const MailId = z.string().regex(/^[\w.-]{1,100}$/);

export function mailViewer(deps: MailViewerDeps): Router {
  const router = express.Router();
  router.use(async (req, res, next) => {
    const token = sessionToken(req);
    const user = token ? await deps.sessions.verify(token) : null;
    // Any staff role: editors send test mail and read it here too.
    if (!user)
      return void res.redirect(302, `/admin/signin?next=${encodeURIComponent(req.originalUrl).replaceAll('%2F', '/')}`);
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/', async (_req, res) => {
    const mails = (await deps.mailbox.mails()).reverse();
    res.type('html').send(listPage(mails));
  });

  router.get('/:id', async (req, res) => {
    const mail = await find(deps, req);
    if (!mail) return void notFound(res);
    res.type('html').send(mailPage(mail));
  });

  router.get('/:id/html', async (req, res) => {
    const mail = await find(deps, req);
    if (!mail?.html) return void notFound(res);
    res.set('Content-Security-Policy', MAIL_CSP).type('html').send(opensInNewTab(mail.html));
  });
  return router;
}

async function find(deps: MailViewerDeps, req: Request): Promise<ReceivedMail | undefined> {
  const id = MailId.safeParse(req.params.id);
  return id.success ? (await deps.mailbox.mails()).find((m) => m.id === id.data) : undefined;
}

/** `<base target="_blank">` first in the head: a link without a target of its own opens a new tab, not the frame. */
function opensInNewTab(html: string): string {
  const base = '<base target="_blank">';
  if (/<head(\s[^>]*)?>/i.test(html)) return html.replace(/<head(\s[^>]*)?>/i, (head) => `${head}${base}`);
  return `${base}${html}`;
}

const STYLE = `<style>
  body { margin: 0; color: #1d1b19; background: #f3efe9;
    font: 15px/1.5 -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; }
  main { max-width: 1100px; margin: 0 auto; padding: 16px 24px; }
  h1 { font-size: 22px; margin: 8px 0; }
  .note { color: #5b5650; margin: 0 0 16px; }
  table { width: 100%; border-collapse: collapse; background: #fff; }
  th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid #e3ddd4;
    vertical-align: top; overflow-wrap: anywhere; }
  th { font-size: 13px; color: #5b5650; }
  a { color: #8c1d16; }
  a:focus-visible { outline: 3px solid #1d1b19; outline-offset: 2px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 16px; }
  dt { color: #5b5650; }
  dd { margin: 0; overflow-wrap: anywhere; }
  iframe { display: block; width: 100%; height: 75vh; border: 1px solid #e3ddd4; background: #fff; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #fff; padding: 16px; border: 1px solid #e3ddd4; }
</style>`;

function frame(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Pregón</title>
${STYLE}
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

const time = (date: Date) => `${date.toISOString().replace('T', ' ').slice(0, 19)} UTC`;

const timeElement = (date: Date) => `<time datetime="${date.toISOString()}">${time(date)}</time>`;
const mailPath = (mail: ReceivedMail) => `${MAIL_VIEWER_PATH}/${encodeURIComponent(mail.id)}`;
const NO_MAIL_YET = 'Confirmation mail, test copies and campaigns sent from this process appear here.';

function mailTable(rows: string[]): string {
  const head = '<tr><th scope="col">Received</th><th scope="col">To</th><th scope="col">Subject</th></tr>';
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

function listPage(mails: readonly ReceivedMail[]): string {
  const rows = mails.map(
    (m) =>
      `<tr><td>${timeElement(m.receivedAt)}</td><td>${escapeHtml(m.to.join(', '))}</td>` +
      `<td><a href="${mailPath(m)}">${escapeHtml(m.subject)}</a></td></tr>`,
  );
  return frame(
    'Sent mail',
    `<p><a href="/admin">← Pregón</a></p>
<h1>Sent mail</h1>
<p class="note">What the local SES emulator received, newest first. Development only: with real SES, \
or in production, this page does not exist. Links in a mail open in a new tab.</p>
${rows.length ? mailTable(rows) : `<p>No mail yet. ${NO_MAIL_YET}</p>`}`,
  );
}

function mailPage(mail: ReceivedMail): string {
  return frame(
    mail.subject,
    `<p><a href="${MAIL_VIEWER_PATH}">← All sent mail</a></p>
<h1>${escapeHtml(mail.subject)}</h1>
<dl>
<dt>From</dt><dd>${escapeHtml(decodeWords(mail.from))}</dd>
<dt>To</dt><dd>${escapeHtml(mail.to.join(', '))}</dd>
<dt>Received</dt><dd>${timeElement(mail.receivedAt)}</dd>
</dl>
${
  mail.html
    ? '<h2>HTML</h2>\n' +
      `<iframe src="${mailPath(mail)}/html" sandbox="${FRAME_SANDBOX}" title="The mail as HTML"></iframe>`
    : ''
}
${mail.text ? `<h2>Text</h2>\n<pre>${escapeHtml(mail.text)}</pre>` : ''}`,
  );
}

/**
 * "=?UTF-8?B?UHJlZ8Ozbg==?= <bulletin@…>" → "Pregón <bulletin@…>": the encoded words (RFC 2047)
 * a From with a non-ASCII name travels as, for reading.
 */
export function decodeWords(header: string): string {
  // Space between two encoded words is not part of the text (a long name is cut into several).
  return header
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

function notFound(res: Response): void {
  res
    .status(404)
    .type('html')
    .send(
      frame(
        'Mail not found',
        '<h1>Mail not found</h1>\n<p>The emulator keeps mail only while this process runs.</p>\n' +
          `<p><a href="${MAIL_VIEWER_PATH}">← All sent mail</a></p>`,
      ),
    );
}

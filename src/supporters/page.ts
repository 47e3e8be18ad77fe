// The frame of every public page: the organisation's name and colour, the reader's language,
// readable without JavaScript. Every value is escaped by the caller's use of `escapeHtml`.
import { escapeHtml } from '../render/html.js';
import type { Settings } from '../settings/settings.js';

export function page(settings: Settings, language: string, title: string, body: string): string {
  const brand = settings.brandColor;
  return `<!doctype html>
<html lang="${escapeHtml(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · ${escapeHtml(settings.organisationName)}</title>
<style>
  :root { color-scheme: light dark; }
  body { margin: 0; font: 17px/1.6 -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; background: #f3efe9; color: #1d1b19; }
  header { background: ${brand}; color: #fff; padding: 20px 24px; }
  header p { margin: 0; font-weight: 800; font-size: 20px; }
  main { max-width: 560px; margin: 32px auto; padding: 28px 24px; background: #fff; }
  h1 { font-size: 26px; line-height: 1.25; margin: 0 0 12px; }
  button { font: inherit; font-weight: 700; color: #fff; background: ${brand}; border: 0; border-radius: 6px; padding: 12px 24px; cursor: pointer; }
  button:focus-visible, a:focus-visible { outline: 3px solid #1d1b19; outline-offset: 2px; }
  a { color: ${brand}; }
  @media (prefers-color-scheme: dark) {
    body { background: #161412; color: #f1ece6; }
    main { background: #24211e; }
    a { color: #ff9c8f; }
  }
</style>
</head>
<body>
<header><p>${escapeHtml(settings.organisationName)}</p></header>
<main>
${body}
</main>
</body>
</html>`;
}

/** "a•••@example.org": enough to recognise one's own address, not to harvest it. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}•••@${domain}`;
}

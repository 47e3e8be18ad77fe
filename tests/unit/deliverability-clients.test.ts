// Every mail Pregón sends (each example bulletin in each language, and the confirmation mail)
// against what mail clients support (caniemail's data, through doiuse-email) and against the
// HTML standard (html-validate). A feature a client lacks is allowed only when this file says
// what that client shows instead; a rule of html-validate is off only where mail needs it so.
// The figures are in docs/deliverability.md.
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { type Unsupported, unsupportedFeatures } from '../helpers/caniemail.js';
import { sentMails } from '../helpers/sent-mails.js';

interface Allowed {
  features: RegExp;
  clients: RegExp;
  /** What a reader of that client sees instead: why the mail may use it. */
  why: string;
}

const OUTLOOK = /^outlook\.windows/;
const ALLOWED: Allowed[] = [
  {
    features: /^(Type selector|Class selector|ID selector|Descendant combinator|Chaining selectors)$/,
    clients: /^gmail\.mobile-webmail$/,
    why:
      "Gmail's mobile web version drops <style>: every style a reader needs is inline; <style> only adds " +
      'resets, the spacing of paragraphs in text blocks, the width rules and dark mode',
  },
  {
    features: /^@media$/,
    clients: /^(gmail\.mobile-webmail|outlook\.windows)/,
    why:
      'media queries hold the dark-mode colours and the width rules: without them a mail stays light, ' +
      "bulletins keep MJML's fluid columns (with 640 px ghost tables for Outlook) and the confirmation " +
      'mail keeps the 560 px its <style> gives Outlook',
  },
  {
    features: /^Chaining selectors$/,
    clients: OUTLOOK,
    why:
      "MJML's Thunderbird rule `.moz-text-html .mj-column-per-100` (two classes, which doiuse-email counts " +
      'as chaining): Outlook applies a chain by its first class, and no element has moz-text-html',
  },
  {
    features: /^outline$/,
    clients: OUTLOOK,
    why: "MJML's image reset `outline:none`: Outlook draws no outline round an image to take away",
  },
  {
    features: /^max-width$/,
    clients: OUTLOOK,
    why:
      "Outlook 2007–2016 ignore it: bulletins are held at 640 px by MJML's ghost tables, the confirmation " +
      "mail at 560 px by its .paper rule; the button's max-width:100% only matters on a phone",
  },
  {
    features: /^border-radius$/,
    clients: OUTLOOK,
    why: 'buttons and the goal bar get square corners',
  },
  {
    features: /^(display:none|opacity|overflow)$/,
    clients: /^(gmail|outlook|yahoo)/,
    why:
      "the hidden preheader (the inbox's preview line): display:none hides it in every client but Gmail's " +
      'mobile web version, where max-height:0 with overflow:hidden does; Outlook also reads mso-hide:all, ' +
      'and opacity:0 is one more fallback',
  },
  {
    features: /^<body> element$/,
    clients: /^yahoo\./,
    why: "Yahoo's apps drop <body>: the page colour is repeated on the wrapper MJML and react-email put inside it",
  },
  {
    features: /^target attribute$/,
    clients: /^(gmail|yahoo)\./,
    why: 'these open every link in a new tab themselves',
  },
  {
    features: /^aria-label attribute$/,
    clients: /^(outlook\.windows-mail|yahoo\.)/,
    why:
      "names the mail's role=article wrapper (by its subject, which the client shows anyway) and the goal " +
      'bar (role=img), whose same words are written under it',
  },
  {
    features: /^aria-hidden attribute$/,
    clients: /^(outlook\.windows-mail|yahoo\.)/,
    why: 'hides the decorative → after text links from screen readers, which else read out "right arrow"',
  },
  {
    features: /^role attribute$/,
    clients: /^outlook\.windows-mail$/,
    why:
      'role=presentation on layout tables: Windows Mail (retired by Microsoft in 2024) lets a screen reader ' +
      'announce them as tables; nothing a reader sees changes',
  },
  {
    features: /^word-break$/,
    clients: /^(outlook\.windows-mail|yahoo\.)/,
    why:
      "MJML's break-word on column cells and the confirmation link's break-all: text still wraps at spaces, " +
      'and the confirmation link breaks at its <wbr>s',
  },
  {
    features: /^<wbr> element$/,
    clients: /^(gmail\.ios|outlook\.windows)/,
    why:
      "the confirmation link's break points, for Yahoo; Gmail's apps break it by word-break instead, and " +
      'Outlook and Windows Mail are desktop windows wide enough for it',
  },
];

const allowed = (u: Unsupported) => ALLOWED.some((a) => a.features.test(u.feature) && a.clients.test(u.client));

/** "feature: client, client…", one line a feature: what a test prints of a mail. */
function summary(found: Unsupported[]): string {
  const byFeature = new Map<string, string[]>();
  for (const u of found) byFeature.set(u.feature, [...(byFeature.get(u.feature) ?? []), u.client]);
  return [...byFeature].map(([feature, clients]) => `  ${feature}: ${clients.join(', ')}`).join('\n');
}

/**
 * html-validate's rules for valid markup (standard), accessible markup (a11y) and a whole document
 * (document), less the ones mail clients contradict. Element metadata is HTML5's, one value added.
 */
const validator = new HtmlValidate({
  extends: ['html-validate:standard', 'html-validate:a11y', 'html-validate:document'],
  elements: [
    'html5',
    // MJML writes height="auto" on every image (its default): clients ignore a height they
    // cannot read, and the inline height:auto keeps the image's proportions.
    { img: { attributes: { height: { enum: ['/^\\d+$/', 'auto'] } } } },
  ],
  rules: {
    // Word-rendered Outlook lays out by align, bgcolor, width, cellpadding and border on tables, not CSS.
    'no-deprecated-attr': 'off',
    // react-email writes XHTML 1.0 Transitional, the doctype Word-rendered Outlook expects (caniemail:
    // Outlook for Windows does not support the HTML5 one); browsers render it in standards mode too.
    'doctype-html': 'off',
    // MJML's <div role="article"> wrapper: Outlook, Windows Mail and Yahoo drop <article> (caniemail).
    'prefer-native-element': ['error', { exclude: ['article'] }],
  },
});

const MAILS = await sentMails();

describe('every mail in mail clients', () => {
  it('covers each example bulletin in each language, and the confirmation mail in two', () => {
    expect(MAILS.length).toBeGreaterThanOrEqual(6);
    expect(MAILS.map((m) => m.name)).toContain('confirmation (es)');
  });

  it.each(MAILS)('$name uses nothing a checked client lacks, but for the allowed fallbacks', ({ name, html }) => {
    const found = unsupportedFeatures(html);
    console.log(`${name}: unsupported somewhere (${found.length})\n${summary(found)}`);
    expect(summary(found.filter((u) => !allowed(u)))).toBe('');
  });

  it('allows nothing no mail needs', () => {
    const found = MAILS.flatMap((m) => unsupportedFeatures(m.html));
    const unused = ALLOWED.filter((a) => !found.some((u) => a.features.test(u.feature) && a.clients.test(u.client)));
    expect(unused.map((a) => a.why)).toEqual([]);
  });

  it.each(MAILS)('$name is valid HTML for mail', async ({ html }) => {
    const report = await validator.validateString(html);
    const errors = report.results.flatMap((r) =>
      r.messages.map((m) => `${m.ruleId} at ${m.line}:${m.column}: ${m.message} (${m.selector ?? ''})`),
    );
    expect(errors).toEqual([]);
  });
});

// The bulletin theme: a bulletin document in one language → MJML. Header with the
// organisation and the bulletin's issue line, the blocks as one light column, and a footer: in
// the mail, why the reader gets it, with preferences, unsubscribe and view-in-browser links; in
// the public archive, a call to subscribe instead. Both end with the postal address.
// Every text is escaped here; per-recipient {{placeholders}} pass through as text and URLs.
import {
  addressIn,
  hashtagsIn,
  pick,
  type AddressValue,
  type Block,
  type BulletinDocument,
  type Localised,
} from '../bulletins/document.js';
import { markdownToHtml } from './markdown.js';
import { escapeHtml } from './html.js';
import { formattingLocale, type Settings } from '../settings/settings.js';
import { twiceAsWide } from '../media/media-names.js';
import { LOGO_WIDTH } from '../media/shown-widths.js';
import { goalLine, textDirection } from './strings.js';
import { fillSlots, wordsFor, type Words } from '../words/catalogue.js';
import { brandPalette, type Palette } from './contrast.js';
import { blockMarks } from './template.js';
import { describeRule } from '../audience/rule-sentence.js';
import { blockAudiences } from './block-audiences.js';
import type { Rule } from '../audience/rules.js';

interface ThemeBase {
  settings: Settings;
  /** Name of the bulletin's topic, for "why you get this". */
  topicName?: Localised;
  /**
   * Each block with an audience is labelled with its rule in words, for staff: test sends and the
   * preview show every block so. False (the default) for the mail and the archive.
   */
  labelAudiences?: boolean;
}

/**
 * Who reads the copy. A mail (the default) speaks to its reader: why they get it, and their own
 * links. The archive's copy is read by anyone, so it carries none of that, only a call to
 * subscribe at `subscribeUrl`.
 */
export type ThemeContext = ThemeBase & ({ for?: 'mail' } | { for: 'archive'; subscribeUrl: string });

const COLOURS = {
  page: '#f3efe9',
  paper: '#ffffff',
  ink: '#1d1b19',
  muted: '#5b5650',
  rule: '#e3ddd4',
  track: '#ebe5dc',
};
const FONT = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
/**
 * The vertical rhythm. Every element of a block ends 16 px above the next (MJML's padding, or a
 * body's last 12 px paragraph margin and 4 px of padding); a link line or a button stands 28 px
 * below the text it follows; a block adds BLOCK_SPACE of its own, so its last line sits about 30 px
 * above the next block's heading, divider or not. A divider adds nothing above its rule, whose
 * space is the block's, and as much below it.
 */
const BLOCK_SPACE = '10px';
/** Below MJML's own breakpoint its columns stack: a phone. */
const PHONE_WIDTH = 480;
const LONG_NAME = 24;
const NAME_SIZE = { short: '26px', long: '24px', longOnPhone: '20px' };
/**
 * Inboxes show the preheader and then whatever text comes next ("View this email in your
 * browser", the organisation…). A run of invisible, zero-width characters fills the rest of the
 * preview line instead: &#847; (combining grapheme joiner), &zwnj; and &nbsp; keep clients from
 * collapsing the run.
 */
const PREHEADER_PADDING = '&#847;&zwnj;&nbsp;'.repeat(120);

/**
 * With a `nonce`, each block with an audience is written between the bounds blockMarks(nonce) makes,
 * each in an <mj-raw> of its own between the sections: MJML then closes a section's Outlook table
 * before a bound and opens the next after it, so the HTML between two bounds stands alone.
 */
export function bulletinMjml(doc: BulletinDocument, language: string, context: ThemeContext, nonce?: string): string {
  const fallback = doc.languages[0]!;
  const t = (text: Localised | undefined) => pick(text, language, fallback);
  const { settings } = context;
  const read: Reader = {
    t,
    address: (value) => addressIn(value, language, fallback),
    language,
    fallback,
    locale: formattingLocale(settings, language),
  };
  const brand = settings.brandColor;
  const palette = brandPalette(brand);
  const words = wordsFor(language, settings);
  const strings = words.footer;
  const marks = nonce === undefined ? undefined : blockMarks(nonce);
  const audiences = blockAudiences(doc.blocks);
  const blocks = doc.blocks
    .map((block, i) => {
      const mjml = blockMjml(block, read, brand, palette.link, words);
      if (!audiences[i]) return mjml;
      // A divider given its neighbours' audience is not labelled: staff did not give it one.
      const label = context.labelAudiences && block.audience ? audienceLabel(block.audience) : '';
      return marks
        ? `    <mj-raw>${marks.start(i)}</mj-raw>\n${label}${mjml}\n    <mj-raw>${marks.end(i)}</mj-raw>`
        : `${label}${mjml}`;
    })
    .join('\n');
  const organisation = escapeHtml(settings.organisationName);
  const topic = context.topicName ? t(context.topicName) : '';
  // The organisation may write its own words: the template is escaped as well as the values.
  const why = topic
    ? fillSlots(escapeHtml(strings.whyTopic), { topic: `<strong>${escapeHtml(topic)}</strong>`, organisation })
    : fillSlots(escapeHtml(strings.whyGeneral), { organisation });
  const logoOrName = settings.logoUrl
    ? `<img src="${escapeHtml(settings.logoUrl)}"${srcset(settings.logoUrl)} alt="${organisation}" ` +
      `width="${LOGO_WIDTH}" style="display:block;max-width:${LOGO_WIDTH}px;height:auto;border:0">`
    : organisation;
  const masthead = mastheadSection(logoOrName, settings.organisationName, t(doc.issueLine), palette);
  // MJML writes `direction:ltr` and `text-align:left` on every section, column and text unless told.
  const dir = textDirection(language);
  const start = dir === 'rtl' ? 'right' : 'left';
  const buttonDefaults =
    `background-color="${palette.button}" color="${palette.label}" font-size="17px" font-weight="700" ` +
    `border-radius="6px" inner-padding="14px 28px" padding="12px 32px 16px" align="${start}" css-class="button"`;
  const archive = context.for === 'archive';
  const teaser = preheader(t(doc.preheader));
  const viewLink = archive ? '' : viewInBrowser(strings);
  const subscribeSection = archive ? subscribeCall(context.subscribeUrl, organisation, strings) : '';
  const readerLines = archive ? '' : readerLinks(why, strings);
  const postalAddress = settings.postalAddress
    ? `<br>${escapeHtml(settings.postalAddress).replace(/\n/g, '<br>')}`
    : '';

  return `<mjml lang="${escapeHtml(language)}" dir="${dir}">
  <mj-head>
    <mj-raw>
      <meta name="color-scheme" content="light dark">
      <meta name="supported-color-schemes" content="light dark">
    </mj-raw>
    <mj-title>${escapeHtml(t(doc.subject))}</mj-title>
    <mj-attributes>
      <mj-all font-family="${FONT}" />
      <mj-text font-size="16px" line-height="1.6" color="${COLOURS.ink}" padding="0 32px 16px" align="${start}" />
      <mj-section background-color="${COLOURS.paper}" padding="0" css-class="paper" direction="${dir}" />
      <mj-column direction="${dir}" />
      <mj-button ${buttonDefaults} />
      <mj-divider border-color="${COLOURS.rule}" border-width="1px" padding="0 32px 28px" />
      <mj-class name="block" padding="0 0 ${BLOCK_SPACE}" />
      <mj-image padding="0 32px 16px" font-size="16px" css-class="picture" />
    </mj-attributes>
    <mj-style>
      :root { color-scheme: light dark; supported-color-schemes: light dark; }
      h1, h2 { margin: 0; }
      .body-text p { margin: 0 0 12px; }
      .body-text ul, .body-text ol { margin: 0 0 12px; padding: 0; padding-${start}: 22px; }
      @media only screen and (max-width: ${PHONE_WIDTH - 1}px) {
        .masthead .long-name { font-size: ${NAME_SIZE.longOnPhone} !important; }
      }
      @media (prefers-color-scheme: dark) {
        .page, body { background-color: #161412 !important; }
        .paper, .paper > table { background-color: #24211e !important; }
        .paper div, .paper p, .paper li, .paper h2, .paper blockquote, .paper img { color: #f1ece6 !important; }
        .footer, .footer > table { background-color: #161412 !important; }
        .footer div, .footer p { color: #c9c2b9 !important; }
        .paper a, .footer a { color: #ff9c8f !important; }
        .paper .button a { color: ${palette.label} !important; }
      }
    </mj-style>
    <mj-style inline="inline">
      a { color: ${palette.link}; }
      .body-text a { color: ${palette.link}; text-decoration: underline; }
      .picture img { font-family: ${FONT}; line-height: 1.5; color: ${COLOURS.ink}; }
    </mj-style>
  </mj-head>
  <mj-body background-color="${COLOURS.page}" width="640px" css-class="page">
${teaser}${viewLink}${masthead}    <mj-section padding="32px 0 8px"><mj-column></mj-column></mj-section>
${blocks}
${subscribeSection}    <mj-section padding="0 0 20px"><mj-column></mj-column></mj-section>
    <mj-section background-color="${COLOURS.page}" padding="24px 0 32px" css-class="footer">
      <mj-column>
        <mj-text font-size="14px" line-height="1.6" color="${COLOURS.muted}" align="center" padding="0 32px 12px">
${readerLines}          <p dir="auto" style="margin:0"><strong>${organisation}</strong>${postalAddress}</p>
        </mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
}

/**
 * The organisation's name (or logo) on the brand colour, and the issue line under it when the
 * bulletin has one. A name longer than LONG_NAME characters is set smaller, and smaller again on a
 * phone, so that 45 characters take two lines at 375 px, not three; a single long word breaks
 * rather than widening the mail (word-break, not overflow-wrap, which Gmail and Outlook ignore).
 * The issue line is muted by its size and weight, not by a paler colour: it keeps the label's
 * contrast on the brand. `header` is HTML already. The name is in the organisation's own language,
 * not always the mail's: dir="auto" keeps "1199 SEIU" whole in an Arabic mail, as it does the
 * postal address in the footer.
 */
function mastheadSection(header: string, name: string, issueLine: string, palette: Palette): string {
  const long = name.length > LONG_NAME;
  const size = long ? NAME_SIZE.long : NAME_SIZE.short;
  const type = `font-size:${size};line-height:1.2;font-weight:800;color:${palette.label}`;
  const issue = issueLine
    ? `\n          <p class="issue-line" style="margin:6px 0 0;font-size:15px;line-height:1.4;font-weight:400;` +
      `color:${palette.label}">${escapeHtml(issueLine)}</p>`
    : '';
  const nameClass = long ? ' class="long-name"' : '';
  return `    <mj-section background-color="${palette.button}" padding="28px 0" css-class="masthead">
      <mj-column>
        <mj-text color="${palette.label}" padding="0 32px">
          <h1${nameClass} dir="auto" style="${type};margin:0;word-break:break-word">${header}</h1>${issue}
        </mj-text>
      </mj-column>
    </mj-section>
`;
}

/** Above a block with an audience in a staff copy: who gets it, small and plain, in English as staff read it. */
function audienceLabel(rule: Rule): string {
  const text = escapeHtml(`Shown to: ${describeRule(rule)}`);
  const frame = `margin:0;padding:4px 8px;border:1px dashed ${COLOURS.muted};border-radius:4px`;
  return `    <mj-section padding="0 0 4px"><mj-column>
      <mj-text font-size="13px" line-height="1.4" color="${COLOURS.muted}" padding="0 32px 4px">
        <p class="audience-label" dir="ltr" style="${frame}">${text}</p>
      </mj-text>
    </mj-column></mj-section>
`;
}

/**
 * The inbox teaser, first in the body and never shown in it. Hidden by display and size, not by
 * white-on-white text: SpamAssassin scores text coloured like its background (HTML_FONT_LOW_CONTRAST).
 */
function preheader(text: string): string {
  if (!text.trim()) return '';
  const hidden = 'display:none;max-height:0;max-width:0;overflow:hidden;mso-hide:all;opacity:0';
  const element = `<div class="preheader" style="${hidden}">${escapeHtml(text)}${PREHEADER_PADDING}</div>`;
  return `    <mj-raw>${element}</mj-raw>\n`;
}

/**
 * A link in the small print, padded to a 44 px tall tap area (WCAG 2.5.5, Apple's minimum): a
 * reader who misses "Unsubscribe" on a phone presses "Report spam" instead. The padding also keeps
 * links apart, with no separator left dangling at the end of a line on a phone.
 */
function footerLink(href: string, label: string): string {
  return (
    `<a href="${href}" style="color:${COLOURS.muted};display:inline-block;line-height:22px;padding:11px 8px">` +
    `${escapeHtml(label)}</a>`
  );
}

/** The mail's first line: its own page in the archive. */
function viewInBrowser(strings: Words['footer']): string {
  return `    <mj-section background-color="${COLOURS.page}" padding="8px 0 0" css-class="footer">
      <mj-column>
        <mj-text align="center" font-size="14px" color="${COLOURS.muted}" padding="0 24px">
          ${footerLink('{{view_url}}', strings.viewInBrowser)}
        </mj-text>
      </mj-column>
    </mj-section>
`;
}

/**
 * Why this reader gets the mail, and their own links; `why` is HTML already. The theme's words
 * may be another language's (the default language's, when the mail's has none): dir="auto" reads
 * each line in its words' own direction, so its full stop and its links' order stay where they belong.
 */
function readerLinks(why: string, strings: Words['footer']): string {
  const links = [
    footerLink('{{preferences_url}}', strings.preferences),
    footerLink('{{unsubscribe_url}}', strings.unsubscribe),
    footerLink('{{view_url}}', strings.viewInBrowser),
  ].join(' ');
  return `          <p dir="auto" style="margin:0 0 4px">${why}</p>
          <p dir="auto" style="margin:0 0 4px">${links}</p>
`;
}

/** The archive's ending: whoever reads a bulletin on the web may get the next ones by mail. */
function subscribeCall(subscribeUrl: string, organisation: string, strings: Words['footer']): string {
  const call = fillSlots(escapeHtml(strings.subscribeCall), { organisation });
  return `    <mj-section>
      <mj-column>
        <mj-divider />
        <mj-text><p dir="auto" style="margin:0;font-size:18px;font-weight:700">${call}</p></mj-text>
        <mj-button href="${escapeHtml(subscribeUrl)}" padding="8px 32px 0">${escapeHtml(strings.subscribe)}</mj-button>
      </mj-column>
    </mj-section>
`;
}

type Text = (text: Localised | undefined) => string;

/** A block's texts and addresses as one language's reader gets them. */
interface Reader {
  t: Text;
  address(value: AddressValue | undefined): string;
  language: string;
  fallback: string;
  /** The locale of the language's numbers (Settings). */
  locale: string;
}

/**
 * `brand` colours decoration (quote rule, goal bar); `link` colours text, readable on the paper. In
 * a right-to-left language the quote's rule stands on the right and link lines point left.
 */
function blockMjml(block: Block, read: Reader, brand: string, link: string, words: Words): string {
  const { t, address, language } = read;
  const dir = textDirection(language);
  const start = dir === 'rtl' ? 'right' : 'left';
  const textLink = (l: { href: AddressValue; label: Localised }) => linkLine(address(l.href), t(l.label), link, dir);
  const section = (inner: string) =>
    `    <mj-section mj-class="block"><mj-column>\n${inner}\n    </mj-column></mj-section>`;
  switch (block.type) {
    case 'announcement':
      return section(
        [
          block.image ? image(address(block.image.src), t(block.image.alt)) : '',
          heading(t(block.heading)),
          body(t(block.body)),
          block.link ? textLink(block.link) : '',
        ].join('\n'),
      );
    case 'statement': {
      const role = t(block.role);
      return section(
        [
          block.heading ? heading(t(block.heading)) : '',
          `      <mj-text css-class="body-text">\n` +
            `        <blockquote style="margin:0 0 12px;padding:4px 0;padding-${start}:20px;` +
            `border-${start}:4px solid ${brand};` +
            `font-size:18px;line-height:1.6;font-style:italic">${markdownToHtml(t(block.quote))}</blockquote>\n` +
            `        <p style="margin:0;font-size:15px">— <strong>${escapeHtml(block.speaker)}</strong>` +
            `${role ? `, ${escapeHtml(role)}` : ''}</p>\n` +
            '      </mj-text>',
          block.link ? textLink(block.link) : '',
        ].join('\n'),
      );
    }
    case 'call_to_action':
      return section(
        [
          heading(t(block.heading)),
          body(t(block.body)),
          block.goal ? goal(block.goal, read, brand, words.bulletin) : '',
          button(address(block.button.href), t(block.button.label)),
        ].join('\n'),
      );
    case 'survey': {
      const items = (block.items ?? []).map((item) => `<li>${escapeHtml(t(item))}</li>`).join('');
      const hashtags = hashtagsIn(block.hashtags, language, read.fallback);
      return section(
        [
          heading(t(block.heading)),
          body(t(block.body)),
          items ? bodyHtml(`<ul>${items}</ul>`) : '',
          block.contact
            ? `      <mj-text><p dir="auto" style="margin:0"><strong>${escapeHtml(words.bulletin.contact)}:</strong> ` +
              `<a href="mailto:${escapeHtml(block.contact)}" style="color:${link}">${escapeHtml(block.contact)}</a>` +
              '</p></mj-text>'
            : '',
          block.button ? button(address(block.button.href), t(block.button.label)) : '',
          hashtags.length
            ? `      <mj-text><p style="margin:0;color:${link};font-weight:700">` +
              `${hashtags.map(hashtag).join(' ')}</p></mj-text>`
            : '',
        ].join('\n'),
      );
    }
    case 'text':
      return section(body(t(block.body)));
    case 'image':
      return section(image(address(block.src), t(block.alt), address(block.href) || undefined));
    case 'divider':
      return '    <mj-section><mj-column><mj-divider /></mj-column></mj-section>';
  }
}

/** Each hashtag isolated in its own direction: "#KnowYourRights" after an Arabic one is not "KnowYourRights#". */
function hashtag(tag: string): string {
  return `<span dir="auto">${escapeHtml(tag)}</span>`;
}

function heading(text: string): string {
  return (
    '      <mj-text padding="0 32px 8px"><h2 style="font-size:22px;line-height:1.3;font-weight:700;margin:0">' +
    `${escapeHtml(text)}</h2></mj-text>`
  );
}

function body(markdown: string): string {
  return bodyHtml(markdownToHtml(markdown));
}

/** Its last paragraph's or list's 12 px margin and 4 px of padding end it 16 px above what follows. */
function bodyHtml(html: string): string {
  return `      <mj-text css-class="body-text" padding="0 32px 4px">${html}</mj-text>`;
}

/**
 * A link on a line of its own, ending in an arrow in the direction of reading. The arrow only
 * decorates: hidden from screen readers, which would read it out ("right arrow").
 */
function linkLine(href: string, label: string, colour: string, dir: 'ltr' | 'rtl'): string {
  return (
    `      <mj-text padding="12px 32px 16px"><a href="${escapeHtml(href)}" style="color:${colour};font-weight:700">` +
    `${escapeHtml(label)} <span aria-hidden="true">${dir === 'rtl' ? '←' : '→'}</span></a></mj-text>`
  );
}

function button(href: string, label: string): string {
  return `      <mj-button href="${escapeHtml(href)}">${escapeHtml(label)}</mj-button>`;
}

function image(src: string, alt: string, href?: string): string {
  const link = href ? ` href="${escapeHtml(href)}"` : '';
  return `      <mj-image src="${escapeHtml(src)}"${srcset(src)} alt="${escapeHtml(alt)}"${link} />`;
}

/** ` srcset="<twin> 2x"` for an image of the media library, which has a file twice as wide; '' otherwise. */
function srcset(src: string): string {
  const twin = twiceAsWide(src);
  return twin ? ` srcset="${escapeHtml(twin)} 2x"` : '';
}

function goal(
  g: { target: number; current?: number | undefined; unit?: Localised | undefined },
  read: Reader,
  brand: string,
  words: Words['bulletin'],
): string {
  const line = escapeHtml(goalLine(g, read.t(g.unit), words, read.locale));
  // The line's words may be another language's, its unit the bulletin's: read as its words are.
  const text = `<p dir="auto" style="margin:0;font-weight:700">${line}</p>`;
  const percent = goalPercent(g);
  if (percent === undefined) return `      <mj-text>${text}</mj-text>`;
  return `      <mj-text>
        ${progressBar(percent, line, brand, textDirection(read.language))}
        ${text}
      </mj-text>`;
}

/**
 * A table of bgcolor cells, because Outlook for Windows (Word) ignores the width and height of a
 * <div>. A share of 0 or 100 leaves the empty cell out: a cell of width 0 still takes room in Outlook.
 * The bar fills in the direction of reading, from the right in Arabic: only its outer ends are round.
 */
function progressBar(percent: number, label: string, brand: string, dir: 'ltr' | 'rtl'): string {
  const cell = (colour: string, width: string, radius: string) =>
    `<td width="${width}" height="10" bgcolor="${colour}" style="background-color:${colour};height:10px;` +
    `font-size:1px;line-height:10px;mso-line-height-rule:exactly;border-radius:${radius}">&nbsp;</td>`;
  const [startEnd, endEnd] = dir === 'rtl' ? ['0 5px 5px 0', '5px 0 0 5px'] : ['5px 0 0 5px', '0 5px 5px 0'];
  const done = percent > 0 ? cell(brand, `${percent}%`, percent < 100 ? startEnd : '5px') : '';
  const left = percent < 100 ? cell(COLOURS.track, `${100 - percent}%`, percent > 0 ? endEnd : '5px') : '';
  return (
    `<table role="img" aria-label="${label}" dir="${dir}" width="100%" cellpadding="0" cellspacing="0" border="0" ` +
    `style="width:100%;border-collapse:collapse;margin:0 0 8px"><tr>${done}${left}</tr></table>`
  );
}

/**
 * How far the count is toward the target, 0–100, or undefined when there is no bar to draw: no
 * count, or a target that is not a positive number (a draft's 0, which the checks refuse to send).
 */
export function goalPercent(g: { target: number; current?: number | undefined }): number | undefined {
  if (g.current === undefined || !Number.isFinite(g.current) || !Number.isFinite(g.target) || g.target <= 0)
    return undefined;
  return Math.max(0, Math.min(100, Math.round((g.current / g.target) * 100)));
}

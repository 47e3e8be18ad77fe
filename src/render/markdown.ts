// The Markdown subset of block bodies (paragraphs, bold, italic, links, bullet lists), to safe
// HTML and to plain text. Raw HTML, scripts, event handlers and links other than https, http and
// mailto never come through.
import { getDefaults, Parser, type Token, type Tokens, walkTokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { decodeHtml } from './html.js';
import { lexMarkdown } from './markdown-lexer.js';

const SAFE_SCHEMES = ['https', 'http', 'mailto'];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'strong', 'b', 'em', 'i', 'a', 'ul', 'ol', 'li', 'br'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: SAFE_SCHEMES,
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // allowedSchemes only judges absolute URLs; a relative href has no place in an email either.
  transformTags: {
    // Headings are outside the subset; a "# Title" line still reads as a paragraph of its own.
    ...Object.fromEntries(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((h) => [h, 'p'])),
    a: (tagName, attribs) => ({
      tagName,
      attribs: attribs.href && isSafeHref(attribs.href) ? { href: attribs.href } : ({} as sanitizeHtml.Attributes),
    }),
  },
};

export function markdownToHtml(markdown: string): string {
  const html = Parser.parse(lexMarkdown(withoutScripts(markdown)), getDefaults());
  return restorePlaceholders(sanitizeHtml(html, SANITIZE)).trim();
}

/** Plain text for the text part: paragraphs apart, "- " bullets, "label (url)" links. */
export function markdownToText(markdown: string): string {
  return lexMarkdown(withoutScripts(markdown))
    .map(blockText)
    .filter((text) => text !== '')
    .join('\n\n');
}

/** Every link target in a body, for the pre-send checks. */
export function markdownLinks(markdown: string): string[] {
  const hrefs: string[] = [];
  walkTokens(lexMarkdown(markdown), (token) => {
    if (token.type === 'link') hrefs.push(restorePlaceholders((token as Tokens.Link).href));
  });
  return hrefs;
}

/**
 * Script and style elements go whole, content included, before anything else reads the text. Here
 * and in stripTags a tag ends at the next "<" too: scanning on from every "<" for a ">" that never
 * comes took time in the square of the text's length.
 */
function withoutScripts(markdown: string): string {
  return markdown.replace(/<(script|style)\b[^<>]*>[\s\S]*?(<\/\1\s*>|$)/gi, '');
}

/**
 * marked percent-encodes the braces of {{merge_fields}} inside link targets; put them back. A field
 * holds no brace, so the scan for its end stops at the next one, whether it closes or not.
 */
function restorePlaceholders(text: string): string {
  return text.replace(/%7B%7B((?:(?!%7[BD]).)*)%7D%7D/gi, (_, inner: string) => `{{${decodeURIComponent(inner)}}}`);
}

function blockText(token: Token): string {
  switch (token.type) {
    case 'paragraph':
    case 'heading':
      return inlineText((token as Tokens.Paragraph).tokens);
    case 'list':
      return (token as Tokens.List).items.map((item) => `- ${item.tokens.map(blockText).join(' ').trim()}`).join('\n');
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inlineText(text.tokens) : text.text;
    }
    case 'space':
      return '';
    case 'html':
      return stripTags(token.raw).trim();
    default:
      return 'tokens' in token && Array.isArray(token.tokens) ? inlineText(token.tokens) : stripTags(token.raw).trim();
  }
}

function inlineText(tokens: Token[] = []): string {
  return tokens
    .map((token) => {
      switch (token.type) {
        case 'link': {
          const link = token as Tokens.Link;
          const label = inlineText(link.tokens);
          const href = restorePlaceholders(link.href);
          if (!isSafeHref(href)) return label;
          const target = href.startsWith('mailto:') ? href.slice('mailto:'.length) : href;
          return label === target ? label : `${label} (${target})`;
        }
        case 'html':
          return stripTags(token.raw);
        case 'br':
          return '\n';
        case 'escape':
          return (token as Tokens.Escape).text;
        default:
          return 'tokens' in token && Array.isArray(token.tokens)
            ? inlineText(token.tokens)
            : decodeHtml((token as Tokens.Text).text ?? token.raw);
      }
    })
    .join('');
}

export function isSafeHref(href: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href.trim())?.[1]?.toLowerCase();
  return scheme !== undefined && SAFE_SCHEMES.includes(scheme);
}

function stripTags(text: string): string {
  return text.replace(/<[^<>]*>/g, '');
}

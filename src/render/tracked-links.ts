// Link tracking works on the document, before rendering, one language at a time: each link a
// reader of that language gets is swapped for a redirect that counts clicks per campaign, block,
// link and language. Links that carry merge fields are personal by design and are left alone, as
// are mailto: links.
import { blockTexts, blockUrls, withField } from '../bulletins/block-fields.js';
import { documentIn, type Block, type BulletinDocument, type Localised } from '../bulletins/document.js';
import { markdownLinks } from './markdown.js';
import { PLACEHOLDER } from './template.js';

export interface DocumentLink {
  block: number;
  url: string;
}

/** A link as a reader of `language` gets it. */
export interface TrackedLink extends DocumentLink {
  language: string;
}

/** A tracked address for a link, or undefined to leave it as it is. */
export type Tracker = (link: TrackedLink) => string | undefined;

/** The trackable links a reader of `language` gets, each block's once. */
export function trackableLinks(doc: BulletinDocument, language: string): DocumentLink[] {
  const seen = new Set<string>();
  return documentIn(doc, language).blocks.flatMap((block, index) =>
    blockLinks(block, language, doc.languages[0]!)
      .filter((url) => !seen.has(`${index} ${url}`) && seen.add(`${index} ${url}`))
      .map((url) => ({ block: index, url })),
  );
}

/**
 * The document a reader of `language` gets (documentIn: each address in that language) with every
 * trackable link replaced by what `track` gives for it. Only that reader's text is touched: theirs,
 * or the fallback's where theirs is empty.
 */
export function withTrackedLinks(doc: BulletinDocument, language: string, track: Tracker): BulletinDocument {
  const fallback = doc.languages[0]!;
  const own = documentIn(doc, language);
  return {
    ...own,
    blocks: own.blocks.map((block, index) => {
      const swap = (url: string) => (isTrackable(url) ? (track({ block: index, url, language }) ?? url) : url);
      const swapMarkdown = (text: Localised): Localised => {
        const shown = shownLanguage(text, language, fallback);
        const body = text[shown];
        if (!body) return text;
        return {
          ...text,
          [shown]: markdownLinks(body).reduce((out, url) => out.split(`](${url})`).join(`](${swap(url)})`), body),
        };
      };
      let tracked: Block = block;
      for (const { field, href, kind } of blockUrls(block))
        if (kind === 'link') tracked = withField(tracked, field, swap(href));
      for (const { field, text, markdown } of blockTexts(block))
        if (markdown) tracked = withField(tracked, field, swapMarkdown(text));
      return tracked;
    }),
  };
}

/** The trackable links of a block for a reader of `language`: its link fields and the links in their Markdown. */
function blockLinks(block: Block, language: string, fallback: string): string[] {
  return [
    ...blockUrls(block)
      .filter((u) => u.kind === 'link')
      .map((u) => u.href),
    ...blockTexts(block)
      .filter((t) => t.markdown)
      .flatMap((t) => markdownLinks(t.text[shownLanguage(t.text, language, fallback)] ?? '')),
  ].filter(isTrackable);
}

/** Whose text a reader of `language` gets, as pick() chooses it: theirs, else the fallback's. */
function shownLanguage(text: Localised, language: string, fallback: string): string {
  return text[language]?.trim() ? language : fallback;
}

function isTrackable(url: string): boolean {
  return /^https?:\/\//i.test(url) && !new RegExp(PLACEHOLDER.source).test(url);
}

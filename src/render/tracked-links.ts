// Link tracking works on the document, before rendering: each link of each block is swapped
// for a redirect that counts clicks per campaign, block and link. Links that carry merge
// fields are personal by design and are left alone, as are mailto: links.
import { blockTexts, blockUrls, withField } from '../bulletins/block-fields.js';
import type { Block, BulletinDocument, Localised } from '../bulletins/document.js';
import { markdownLinks } from './markdown.js';
import { PLACEHOLDER } from './template.js';

export interface DocumentLink {
  block: number;
  url: string;
}

/** A tracked address for a link, or undefined to leave it as it is. */
export type Tracker = (link: DocumentLink) => string | undefined;

export function trackableLinks(doc: BulletinDocument): DocumentLink[] {
  const seen = new Set<string>();
  return doc.blocks.flatMap((block, index) =>
    blockLinks(block)
      .filter((url) => !seen.has(`${index} ${url}`) && seen.add(`${index} ${url}`))
      .map((url) => ({ block: index, url })),
  );
}

/** The document with every trackable link replaced by what `track` gives for it. */
export function withTrackedLinks(doc: BulletinDocument, track: Tracker): BulletinDocument {
  return {
    ...doc,
    blocks: doc.blocks.map((block, index) => {
      const swap = (url: string) => (isTrackable(url) ? (track({ block: index, url }) ?? url) : url);
      const swapMarkdown = (text: Localised): Localised =>
        Object.fromEntries(
          Object.entries(text).map(([lang, body]) => [
            lang,
            markdownLinks(body).reduce((out, url) => out.split(`](${url})`).join(`](${swap(url)})`), body),
          ]),
        );
      let tracked: Block = block;
      for (const { field, href, kind, language } of blockUrls(block))
        if (kind === 'link') tracked = withField(tracked, language ? `${field}.${language}` : field, swap(href));
      for (const { field, text, markdown } of blockTexts(block))
        if (markdown) tracked = withField(tracked, field, swapMarkdown(text));
      return tracked;
    }),
  };
}

/** The trackable links of a block: its link fields and the links in its Markdown. */
function blockLinks(block: Block): string[] {
  return [
    ...blockUrls(block)
      .filter((u) => u.kind === 'link')
      .map((u) => u.href),
    ...blockTexts(block)
      .filter((t) => t.markdown)
      .flatMap((t) => Object.values(t.text).flatMap(markdownLinks)),
  ].filter(isTrackable);
}

function isTrackable(url: string): boolean {
  return /^https?:\/\//i.test(url) && !new RegExp(PLACEHOLDER.source).test(url);
}

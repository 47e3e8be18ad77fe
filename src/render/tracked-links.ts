// Link tracking works on the document, before rendering: each link of each block is swapped
// for a redirect that counts clicks per campaign, block and link. Links that carry merge
// fields are personal by design and are left alone, as are mailto: links.
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
  const links: DocumentLink[] = [];
  doc.blocks.forEach((block, index) => {
    const urls = [...blockHrefs(block), ...markdownTexts(block).flatMap((text) => Object.values(text).flatMap(markdownLinks))];
    for (const url of urls) {
      const key = `${index} ${url}`;
      if (!isTrackable(url) || seen.has(key)) continue;
      seen.add(key);
      links.push({ block: index, url });
    }
  });
  return links;
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
            markdownLinks(body).reduce((out, url) => (isTrackable(url) ? out.split(`](${url})`).join(`](${swap(url)})`) : out), body),
          ]),
        );
      switch (block.type) {
        case 'announcement':
          return { ...block, body: swapMarkdown(block.body), ...(block.link ? { link: { ...block.link, href: swap(block.link.href) } } : {}) };
        case 'statement':
          return { ...block, quote: swapMarkdown(block.quote), ...(block.link ? { link: { ...block.link, href: swap(block.link.href) } } : {}) };
        case 'call_to_action':
          return { ...block, body: swapMarkdown(block.body), button: { ...block.button, href: swap(block.button.href) } };
        case 'survey':
          return { ...block, body: swapMarkdown(block.body), ...(block.button ? { button: { ...block.button, href: swap(block.button.href) } } : {}) };
        case 'text':
          return { ...block, body: swapMarkdown(block.body) };
        case 'image':
          return block.href ? { ...block, href: swap(block.href) } : block;
        case 'divider':
          return block;
      }
    }),
  };
}

function isTrackable(url: string): boolean {
  return /^https?:\/\//i.test(url) && !new RegExp(PLACEHOLDER.source).test(url);
}

function blockHrefs(block: Block): string[] {
  switch (block.type) {
    case 'announcement':
    case 'statement':
      return block.link ? [block.link.href] : [];
    case 'call_to_action':
      return [block.button.href];
    case 'survey':
      return block.button ? [block.button.href] : [];
    case 'image':
      return block.href ? [block.href] : [];
    default:
      return [];
  }
}

function markdownTexts(block: Block): Localised[] {
  switch (block.type) {
    case 'announcement':
    case 'call_to_action':
    case 'survey':
    case 'text':
      return [block.body];
    case 'statement':
      return [block.quote];
    default:
      return [];
  }
}

// Which fields of each block type hold reader-facing text and which hold addresses, with their
// paths: the pre-send checks and link tracking both walk a block through these.
import type { AddressValue, Block, Localised } from './document.js';

export interface TextField {
  /** Path within the block, e.g. "button.label" or "items[2]". */
  field: string;
  text: Localised;
  /** Body-like: Markdown with links. */
  markdown: boolean;
  /** Alt text: missing means a screen reader says nothing, an error of its own. */
  alt?: boolean;
}

export interface UrlField {
  field: string;
  href: string;
  /** A link the reader follows, or the address of an image shown. */
  kind: 'link' | 'image';
  /** Set when the address is this language's own ({"en": …, "es": …}): it sits at `field`.`language`. */
  language?: string;
}

/** What staff call each field; the editors' labels, the checks panel and the version changes read it. */
export const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  subject: 'Subject',
  preheader: 'Preheader',
  issueLine: 'Issue line',
  topic: 'Topic',
  languages: 'Languages',
  heading: 'Heading',
  body: 'Body',
  quote: 'Quote',
  speaker: 'Speaker',
  role: "Speaker's role",
  'image.src': 'Image URL',
  'image.alt': 'Alt text',
  'link.href': 'Link URL',
  'link.label': 'Link text',
  'button.href': 'Button URL',
  'button.label': 'Button text',
  'goal.target': 'Goal target',
  'goal.current': 'Goal so far',
  'goal.unit': 'Goal unit',
  contact: 'Contact email',
  hashtags: 'Hashtags',
  items: 'List items',
  src: 'Image URL',
  alt: 'Alt text',
  href: 'Link URL',
  audience: 'Audience',
  // The one setting a finding names as its field (low_contrast), which leads to Settings
  brandColor: 'Brand colour (Settings)',
};

export function blockTexts(block: Block): TextField[] {
  const out: TextField[] = [];
  const add = (field: string, text: Localised | undefined, markdown = false, alt = false) => {
    if (text) out.push({ field, text, markdown, ...(alt ? { alt } : {}) });
  };
  switch (block.type) {
    case 'announcement':
      add('heading', block.heading);
      add('body', block.body, true);
      add('image.alt', block.image?.alt, false, true);
      add('link.label', block.link?.label);
      break;
    case 'statement':
      add('heading', block.heading);
      add('quote', block.quote, true);
      add('role', block.role);
      add('link.label', block.link?.label);
      break;
    case 'call_to_action':
      add('heading', block.heading);
      add('body', block.body, true);
      add('button.label', block.button.label);
      add('goal.unit', block.goal?.unit);
      break;
    case 'survey':
      add('heading', block.heading);
      add('body', block.body, true);
      for (const [i, item] of (block.items ?? []).entries()) add(`items[${i}]`, item);
      add('button.label', block.button?.label);
      break;
    case 'text':
      add('body', block.body, true);
      break;
    case 'image':
      add('alt', block.alt, false, true);
      break;
    case 'divider':
      break;
  }
  return out;
}

export interface AddressField {
  field: string;
  /** One address for every language, or each language its own. */
  value: AddressValue;
  kind: UrlField['kind'];
}

/** The block's address fields as written. */
export function blockAddresses(block: Block): AddressField[] {
  const fields: [string, AddressValue | undefined, UrlField['kind']][] = (() => {
    switch (block.type) {
      case 'announcement':
        return [
          ['image.src', block.image?.src, 'image'],
          ['link.href', block.link?.href, 'link'],
        ];
      case 'statement':
        return [['link.href', block.link?.href, 'link']];
      case 'call_to_action':
        return [['button.href', block.button.href, 'link']];
      case 'survey':
        return [['button.href', block.button?.href, 'link']];
      case 'image':
        return [
          ['src', block.src, 'image'],
          ['href', block.href, 'link'],
        ];
      case 'text':
      case 'divider':
        return [];
    }
  })();
  return fields
    .filter((f): f is [string, AddressValue, UrlField['kind']] => f[1] !== undefined)
    .map(([field, value, kind]) => ({ field, value, kind }));
}

/**
 * The block's addresses, one for each language that has its own: a language left empty in a
 * per-language address gets the fallback's, so it is no address of its own (unless all are empty).
 */
export function blockUrls(block: Block): UrlField[] {
  return blockAddresses(block).flatMap(({ field, value, kind }): UrlField[] => {
    if (typeof value === 'string') return [{ field, href: value, kind }];
    const own = Object.entries(value).filter(([, href]) => href.trim());
    if (!own.length) return [{ field, href: '', kind }];
    return own.map(([language, href]) => ({ field, href, kind, language }));
  });
}

/** A copy of the block with the value at `path` ("button.href", "body") replaced. */
export function withField<B extends Block>(block: B, path: string, value: unknown): B {
  const copy = structuredClone(block);
  const keys = path.split('.');
  let target = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys.at(-1)!] = value;
  return copy;
}

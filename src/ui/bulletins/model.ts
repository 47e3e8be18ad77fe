// The bulletin document as the composer edits it: the server's types, new blocks, field names and
// the DOM ids that tie a server issue or a pre-send finding to the control it is about.
import { blockAddresses, blockTexts, FIELD_LABELS } from '../../bulletins/block-fields';
import type { Block, BlockType, BulletinDocument, Localised } from '../../bulletins/document';
import type {
  Bulletin,
  BulletinSummary,
  BulletinVersion,
  BulletinVersionSummary,
  Checks,
  Finding,
} from '../../bulletins/schemas';
import { languageName } from '../components';

export type { Block, BlockType, BulletinDocument, Localised };
export type { Bulletin, BulletinSummary, BulletinVersion, BulletinVersionSummary, Checks, Finding };
export { blockSummary } from './block-summary';

export const BLOCK_TYPES: { type: BlockType; label: string; description: string }[] = [
  { type: 'announcement', label: 'Announcement', description: 'Heading, text, an image and a link' },
  { type: 'statement', label: 'Statement', description: 'A quote with its speaker' },
  { type: 'call_to_action', label: 'Call to action', description: 'A button, with a goal if you like' },
  { type: 'survey', label: 'Survey', description: 'A request with a list, contact and hashtags' },
  { type: 'text', label: 'Text', description: 'Paragraphs of Markdown' },
  { type: 'image', label: 'Image', description: 'A picture with its alt text' },
  { type: 'divider', label: 'Divider', description: 'A line between blocks' },
];

export const blockLabel = (type: BlockType) => BLOCK_TYPES.find((t) => t.type === type)!.label;

export { FIELD_LABELS };

export const emptyText = (languages: readonly string[]): Localised => Object.fromEntries(languages.map((l) => [l, '']));

export function newBlock(type: BlockType, languages: readonly string[]): Block {
  const text = () => emptyText(languages);
  switch (type) {
    case 'announcement':
      return { type, heading: text(), body: text() };
    case 'statement':
      return { type, quote: text(), speaker: '' };
    case 'call_to_action':
      return { type, heading: text(), body: text(), button: { href: '', label: text() } };
    case 'survey':
      return { type, heading: text(), body: text() };
    case 'text':
      return { type, body: text() };
    case 'image':
      return { type, src: '', alt: text() };
    case 'divider':
      return { type };
  }
}

/** Optional texts are left out when every language is empty: an empty one is an untranslated finding. */
export const optionalText = (text: Localised): Localised | undefined =>
  Object.values(text).some((v) => v.trim()) ? text : undefined;

/**
 * A copy of the document without `language`: gone from its languages, from every text and from
 * every address and list of hashtags given per language.
 */
export function withoutLanguage(document: BulletinDocument, language: string): BulletinDocument {
  const copy = structuredClone(document);
  copy.languages = copy.languages.filter((l) => l !== language);
  const inBlocks = copy.blocks.flatMap((block) => [
    ...blockTexts(block).map((f) => f.text),
    ...blockAddresses(block).map((f) => f.value),
    block.type === 'survey' ? block.hashtags : undefined,
  ]);
  const values = [copy.subject, copy.preheader, copy.issueLine, ...inBlocks];
  for (const value of values) if (value && typeof value === 'object' && !Array.isArray(value)) delete value[language];
  return copy;
}

/**
 * The DOM id of the control for a document path, as the server names paths in its issues
 * ("blocks[2].button.href", "subject.es") and findings (field "blocks[4].alt" with language "es"):
 * "block-2-button-href", "bulletin-subject-es", "block-4-alt-es".
 */
export function fieldId(path: string, language?: string): string {
  const block = /^blocks\[(\d+)\]\.?(.*)$/.exec(path);
  const base = block ? `block-${block[1]}${block[2] ? `.${block[2]}` : ''}` : `bulletin-${path}`;
  return `${base}${language ? `.${language}` : ''}`.replace(/[.[\]]+/g, '-').replace(/-$/, '');
}

/** "Block 5 (Image) · Alt text (Spanish)", for a finding or an issue. */
export function describePath(document: BulletinDocument, path: string | undefined, language?: string): string {
  if (!path) return 'Bulletin';
  // An issue about one language of a text ends in it: "blocks[2].heading.es".
  const last = path.slice(path.lastIndexOf('.') + 1);
  if (!language && path.includes('.') && document.languages.includes(last))
    return describePath(document, path.slice(0, -last.length - 1), last);
  const block = /^blocks\[(\d+)\]\.?(.*)$/.exec(path);
  const field = block ? block[2]! : path;
  const item = /^items\[(\d+)\]/.exec(field);
  // A block's audience is one control, whichever part of its rule an issue names.
  const audience = /^audience\b/.test(field);
  const name = item
    ? `Item ${Number(item[1]) + 1}`
    : audience
      ? FIELD_LABELS.audience!
      : (FIELD_LABELS[field] ?? field);
  const inLanguage = language ? ` (${languageName(language)})` : '';
  if (!block) return `${name}${inLanguage}`;
  const index = Number(block[1]);
  const type = document.blocks[index]?.type;
  return `Block ${index + 1}${type ? ` (${blockLabel(type)})` : ''}${field ? ` · ${name}${inLanguage}` : ''}`;
}

/**
 * A finding in words: where it is ("Block 5 (Image) · Alt text (Spanish)", or only the language; none
 * for the whole bulletin) and what, without the path its message starts with ("blocks[4].alt: …").
 */
export function describeFinding(
  document: BulletinDocument,
  finding: Pick<Finding, 'code' | 'message' | 'field' | 'language'>,
): { where?: string; message: string } {
  const { field, language } = finding;
  // "blocks[2].button.href: …", or "blocks[2].button.href (Spanish): …" about one language's own address;
  // translation_outdated names its text as staff read it ("Block 3 body: …"), which `where` says again.
  const prefix = [`${field}: `, `${field} (${languageName(language ?? '')}): `].find((p) =>
    finding.message.startsWith(p),
  );
  const message =
    field && prefix
      ? finding.message.slice(prefix.length)
      : finding.code === 'translation_outdated'
        ? finding.message.replace(/^[^:]*: /, '')
        : finding.message;
  const where = field ? describePath(document, field, language) : language ? languageName(language) : undefined;
  return { where, message };
}

/** Moves focus to the control with `id`, or the closest thing that exists (the block, say). */
export function focusField(id: string): boolean {
  for (let candidate = id; candidate; candidate = candidate.replace(/-?[^-]*$/, '')) {
    const element = document.getElementById(candidate);
    if (element) {
      element.scrollIntoView({ block: 'center', behavior: 'smooth' });
      element.focus({ preventScroll: true });
      return true;
    }
  }
  return false;
}

// Compiled templates: rendered output cut once at its {{placeholders}}, so that a recipient's
// copy is a join of strings with escaped values, costing microseconds, never an MJML render.
import { decodeHtml, escapeHtml } from './html.js';

export const MERGE_FIELDS = ['first_name', 'last_name', 'email'] as const;
export const LINK_FIELDS = ['unsubscribe_url', 'preferences_url', 'view_url'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];
export type LinkField = (typeof LINK_FIELDS)[number];
export type TemplateField = MergeField | LinkField;

const KNOWN = new Set<string>([...MERGE_FIELDS, ...LINK_FIELDS]);

/** {{field}} or {{field|fallback}} */
export const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.-]*)\s*(?:\|([^{}]*))?\}\}/g;

/**
 * How a value is written where its placeholder stands:
 * - `html`: element text, HTML-escaped;
 * - `attribute`: a whole attribute value (a link field as an href), HTML-escaped;
 * - `url`: part of a URL in an attribute, URL-encoded then HTML-escaped;
 * - `plain`: the text part and the subject, as is (control characters become spaces).
 */
export type SlotContext = 'html' | 'attribute' | 'url' | 'plain';

export interface Slot {
  field: TemplateField;
  fallback: string;
  context: SlotContext;
}

/** Text cut at its placeholders. */
export interface Piece {
  /** parts.length === slots.length + 1: part, slot, part, slot, …, part */
  parts: string[];
  slots: Slot[];
}

/** A stretch of a template, written for everyone (no `block`) or only for readers shown that block. */
export interface Section extends Piece {
  /** The block's index in the document's `blocks`. */
  block?: number;
}

/**
 * A compiled template: one piece, or, when the bulletin has blocks with an audience, the sections
 * between their bounds. Templates stored before blocks had audiences are all one piece.
 */
export type Template = Piece | { sections: Section[] };

/** The blocks with an audience a reader is shown, by index; every block when left out. */
export type ShownBlocks = ReadonlySet<number> | undefined;

export type TemplateValues = Record<TemplateField, string>;

/**
 * The bounds of a block with an audience in rendered output (src/render/theme.ts writes them). They
 * carry a nonce made for each render, so no text of a bulletin or a reader can pass for one.
 */
export function blockMarks(nonce: string) {
  return {
    start: (block: number) => `%%pregon-block-${nonce}-${block}-start%%`,
    end: (block: number) => `%%pregon-block-${nonce}-${block}-end%%`,
  };
}

/** Every bound blockMarks(nonce) makes, the block and whether it starts or ends captured. */
function boundsOf(nonce: string): RegExp {
  return new RegExp(`%%pregon-block-${nonce}-(\\d+)-(start|end)%%`, 'g');
}

/** `source` without its bounds: the output as a reader shown every block gets it. */
export function withoutBounds(source: string, nonce: string): string {
  return source.replace(boundsOf(nonce), '');
}

/** A fresh nonce for blockMarks. */
export function markNonce(): string {
  // Web Crypto, not node:crypto: the staff app bundles this module too (inbox-preview.ts).
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Cuts `source` at its known placeholders; unknown ones stay as written (a pre-send check reports
 * them). With the `nonce` it was rendered with, also at the bounds of its blocks with an audience.
 */
export function compileTemplate(source: string, kind: 'html' | 'plain'): Piece;
export function compileTemplate(source: string, kind: 'html' | 'plain', nonce: string | undefined): Template;
export function compileTemplate(source: string, kind: 'html' | 'plain', nonce?: string): Template {
  if (nonce === undefined || !source.includes(`%%pregon-block-${nonce}-`))
    return compilePiece(source, kind, 0, source.length);
  const bounds = boundsOf(nonce);
  const sections: Section[] = [];
  let last = 0;
  let open: number | undefined;
  for (const match of source.matchAll(bounds)) {
    const block = Number(match[1]);
    const starts = match[2] === 'start';
    // Bounds come in pairs, never nested: the theme writes them around whole blocks.
    if (starts === (open !== undefined) || (!starts && block !== open))
      throw new Error(`Block bounds out of order at block ${block}`);
    const piece = compilePiece(source, kind, last, match.index);
    if (piece.parts.length > 1 || piece.parts[0]) sections.push(open === undefined ? piece : { ...piece, block: open });
    open = starts ? block : undefined;
    last = match.index + match[0].length;
  }
  if (open !== undefined) throw new Error(`Block ${open} has no end bound`);
  sections.push(compilePiece(source, kind, last, source.length));
  return { sections };
}

/** The placeholders of source[from, to), each read in its place in the whole source. */
function compilePiece(source: string, kind: 'html' | 'plain', from: number, to: number): Piece {
  const parts: string[] = [];
  const slots: Slot[] = [];
  let last = from;
  const text = from === 0 && to === source.length ? source : source.slice(from, to);
  for (const match of text.matchAll(PLACEHOLDER)) {
    const field = match[1]!;
    if (!KNOWN.has(field)) continue;
    const index = from + match.index;
    parts.push(source.slice(last, index));
    const fallback = kind === 'html' ? decodeHtml(match[2] ?? '') : (match[2] ?? '');
    slots.push({
      field: field as TemplateField,
      fallback: fallback.trim(),
      context: kind === 'plain' ? 'plain' : htmlContext(source, index, field),
    });
    last = index + match[0].length;
  }
  parts.push(source.slice(last, to));
  return { parts, slots };
}

/**
 * Joined, not concatenated: `+=` makes a rope that the SES client's JSON writer then reads a
 * character at a time through, measurably slower for a 40 KB copy than the flat string join makes.
 * A section of a block with an audience is written only when `shown` has the block.
 */
export function fillTemplate(template: Template, values: TemplateValues, shown?: ShownBlocks): string {
  const out: string[] = [];
  if (!('sections' in template)) fillPiece(template, values, out);
  else
    for (const section of template.sections)
      if (section.block === undefined || !shown || shown.has(section.block)) fillPiece(section, values, out);
  return out.join('');
}

function fillPiece(piece: Piece, values: TemplateValues, out: string[]): void {
  out.push(piece.parts[0]!);
  for (let i = 0; i < piece.slots.length; i++) {
    const slot = piece.slots[i]!;
    out.push(slotValue(slot, values), piece.parts[i + 1]!);
  }
}

/** Every placeholder field named in `text`, known or not, for the checks. */
export function placeholderFields(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** `text` as a reader without the fields reads it: each known placeholder replaced by its fallback. */
export function withFallbacks(text: string): string {
  return text.replace(PLACEHOLDER, (whole, field: string, fallback: string | undefined) =>
    KNOWN.has(field) ? (fallback ?? '').trim() : whole,
  );
}

export function isKnownField(field: string): boolean {
  return KNOWN.has(field);
}

/** What a reader's copy shows where `slot` stands: their value, or the slot's fallback, written for its context. */
export function slotValue(slot: Slot, values: TemplateValues): string {
  return write(values[slot.field] || slot.fallback, slot.context);
}

function write(value: string, context: SlotContext): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  switch (context) {
    case 'html':
    case 'attribute':
      return escapeHtml(clean);
    case 'url':
      return escapeHtml(encodeURIComponent(clean));
    case 'plain':
      return clean;
  }
}

/** Inside a tag? Then in which attribute, and does the placeholder start its value? */
function htmlContext(source: string, index: number, field: string): SlotContext {
  const tagStart = source.lastIndexOf('<', index);
  if (tagStart < source.lastIndexOf('>', index)) return 'html';
  const attribute = /([\w:-]+)\s*=\s*(["']?)([^"']*)$/.exec(source.slice(tagStart, index));
  if (!attribute) return 'html';
  const [, name, , before] = attribute;
  const isUrl = /^(href|src|action)$/i.test(name!);
  if (isUrl && before === '' && (LINK_FIELDS as readonly string[]).includes(field)) return 'attribute';
  return isUrl ? 'url' : 'attribute';
}

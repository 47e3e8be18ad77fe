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

interface Slot {
  field: TemplateField;
  fallback: string;
  context: SlotContext;
}

export interface Template {
  /** parts.length === slots.length + 1: part, slot, part, slot, …, part */
  parts: string[];
  slots: Slot[];
}

export type TemplateValues = Record<TemplateField, string>;

/** Cuts `source` at its known placeholders; unknown ones stay as written (a pre-send check reports them). */
export function compileTemplate(source: string, kind: 'html' | 'plain'): Template {
  const parts: string[] = [];
  const slots: Slot[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    const field = match[1]!;
    if (!KNOWN.has(field)) continue;
    parts.push(source.slice(last, match.index));
    const fallback = kind === 'html' ? decodeHtml(match[2] ?? '') : (match[2] ?? '');
    slots.push({
      field: field as TemplateField,
      fallback: fallback.trim(),
      context: kind === 'plain' ? 'plain' : htmlContext(source, match.index, field),
    });
    last = match.index + match[0].length;
  }
  parts.push(source.slice(last));
  return { parts, slots };
}

/**
 * Joined, not concatenated: `+=` makes a rope that the SES client's JSON writer then reads a
 * character at a time through, measurably slower for a 40 KB copy than the flat string join makes.
 */
export function fillTemplate(template: Template, values: TemplateValues): string {
  const out = [template.parts[0]!];
  for (let i = 0; i < template.slots.length; i++) {
    const slot = template.slots[i]!;
    out.push(write(values[slot.field] || slot.fallback, slot.context), template.parts[i + 1]!);
  }
  return out.join('');
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

// A compiled bulletin as an SES stored template (Handlebars): the text everyone gets written in
// once, each per-recipient value a variable, each block with an audience an {{#if}} section, so
// that a recipient's part of a SendBulkEmail call is a few hundred bytes of replacement data.
import type { CompiledBulletin } from './render.js';
import {
  fillTemplate,
  type Piece,
  type ShownBlocks,
  type Slot,
  slotValue,
  type Template,
  type TemplateValues,
} from './template.js';

/** Subject, HTML and text as CreateEmailTemplate takes them. */
export interface BulkTemplateContent {
  subject: string;
  html: string;
  text: string;
}

/** What the template reads for one recipient: their values, written as their copy shows them, and their blocks. */
export type BulkTemplateData = Record<string, string | boolean>;

export interface BulkTemplate {
  content: BulkTemplateContent;
  /**
   * The DefaultContent TemplateData of every call: the literal braces and backslash the content
   * writes as variables (below).
   */
  defaults: BulkTemplateData;
  /** One recipient's ReplacementTemplateData. */
  data(values: TemplateValues, shown: ShownBlocks): BulkTemplateData;
}

/**
 * SES renders the variables as given, without escaping them (AWS: "SES doesn't escape HTML content
 * when rendering the HTML template"; aws-ses-v2-local compiles with `noEscape`), so each value is
 * escaped here, once, for the place it stands, as fillTemplate() escapes it, and written with the
 * triple stash, which no Handlebars escapes. The bulletin's own text may hold `{{`, `}}` or a
 * backslash before a brace, which Handlebars would read as its own: every brace and backslash of
 * the text is written as a variable holding it, so no text of a bulletin reaches the template
 * language.
 */
const LITERAL: Record<string, string> = { '{': '{{{lb}}}', '}': '{{{rb}}}', '\\': '{{{bs}}}' };
const LITERAL_DEFAULTS: BulkTemplateData = { lb: '{', rb: '}', bs: '\\' };

const NO_VALUES: TemplateValues = {
  first_name: '',
  last_name: '',
  email: '',
  unsubscribe_url: '',
  preferences_url: '',
  view_url: '',
};
function literal(text: string): string {
  return text.replace(/[{}\\]/g, (c) => LITERAL[c]!);
}

export function bulkTemplate(bulletin: CompiledBulletin): BulkTemplate {
  // One variable for each distinct slot (field, fallback and context): the same field written in an
  // href and in text is two variables, each escaped for its place.
  const slots = new Map<string, { name: string; slot: Slot }>();
  const blocks = new Set<number>();
  const variable = (slot: Slot): string => {
    const key = `${slot.field}\u0000${slot.context}\u0000${slot.fallback}`;
    let entry = slots.get(key);
    if (!entry) {
      entry = { name: `p${slots.size}`, slot };
      slots.set(key, entry);
    }
    return `{{{${entry.name}}}}`;
  };
  const piece = (p: Piece): string => {
    const out = [literal(p.parts[0]!)];
    for (let i = 0; i < p.slots.length; i++) out.push(variable(p.slots[i]!), literal(p.parts[i + 1]!));
    return out.join('');
  };
  const template = (t: Template): string => {
    if (!('sections' in t)) return piece(t);
    return t.sections
      .map((section) => {
        if (section.block === undefined) return piece(section);
        blocks.add(section.block);
        return `{{#if b${section.block}}}${piece(section)}{{/if}}`;
      })
      .join('');
  };
  const html = template(bulletin.html);
  const text = template(bulletin.text);
  // The subject is trimmed once filled (personalise()), which a template cannot do: a subject
  // with fields is filled here, whole, for each recipient.
  const everyone = fillTemplate(bulletin.subject, NO_VALUES).trim();
  const pieces = 'sections' in bulletin.subject ? bulletin.subject.sections : [bulletin.subject];
  const personalSubject = pieces.some((p) => p.slots.length > 0);
  const subject = personalSubject ? '{{{subject}}}' : literal(everyone);
  const fields = [...slots.values()];
  const blockList = [...blocks];
  return {
    content: { subject, html, text },
    defaults: LITERAL_DEFAULTS,
    data(values, shown) {
      const data: BulkTemplateData = {};
      for (const { name, slot } of fields) data[name] = slotValue(slot, values);
      for (const block of blockList) data[`b${block}`] = !shown || shown.has(block);
      if (personalSubject) data.subject = fillTemplate(bulletin.subject, values).trim();
      return data;
    },
  };
}

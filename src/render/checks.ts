// Pre-send checks: what would embarrass the organisation or break the law if it went out.
// An `error` blocks sending; a `warning` does not. Each finding names the language, the block
// and the field it is about, so the editor can go straight to it.
import { blockTexts, blockUrls, type TextField } from '../bulletins/block-fields.js';
import type { BulletinDocument } from '../bulletins/document.js';
import { isSafeHref, markdownLinks } from './markdown.js';
import type { CompiledBulletin, ThemeContext } from './render.js';
import { isKnownField, placeholderFields } from './template.js';

export interface Finding {
  level: 'error' | 'warning';
  code:
    | 'untranslated'
    | 'unknown_merge_field'
    | 'missing_alt'
    | 'empty_link'
    | 'insecure_link'
    | 'unsafe_link'
    | 'html_too_large'
    | 'subject_empty'
    | 'subject_too_long'
    | 'no_postal_address'
    | 'mjml_invalid'
    | 'unknown_topic';
  message: string;
  language?: string;
  block?: number;
  field?: string;
}

/** Gmail hides everything past 102 KB of HTML behind "[Message clipped]", footer included. */
export const GMAIL_CLIP_BYTES = 102 * 1024;
/** RFC 5322's recommended line length; longer subjects are cut off in most inboxes. */
export const SUBJECT_MAX = 78;


export function checkBulletin(doc: BulletinDocument, context: ThemeContext, rendered: readonly CompiledBulletin[]): Finding[] {
  const { settings } = context;
  const findings: Finding[] = [];
  const fallback = doc.languages[0]!;
  const fields: (TextField & { block?: number })[] = [
    { field: 'subject', text: doc.subject, markdown: false },
    ...(doc.preheader ? [{ field: 'preheader', text: doc.preheader, markdown: false }] : []),
    ...doc.blocks.flatMap((block, index) => blockTexts(block).map((f) => ({ ...f, block: index, field: `blocks[${index}].${f.field}` }))),
  ];

  for (const { field, text, markdown, alt, block } of fields) {
    const where = block === undefined ? {} : { block };
    for (const language of doc.languages) {
      const value = text[language]?.trim() ?? '';
      if (!value) {
        if (alt && !text[fallback]?.trim()) {
          findings.push({ level: 'error', code: 'missing_alt', message: `${field}: the image has no alt text`, language, ...where, field });
        } else if (language === fallback || !text[fallback]?.trim()) {
          if (field !== 'subject') findings.push({ level: 'error', code: 'untranslated', message: `${field}: no ${language} text and nothing to fall back on`, language, ...where, field });
        } else {
          findings.push({ level: 'warning', code: 'untranslated', message: `${field}: no ${language} text; ${language} readers get the ${fallback} text`, language, ...where, field });
        }
        continue;
      }
      for (const name of placeholderFields(value).filter((n) => !isKnownField(n))) {
        findings.push({ level: 'error', code: 'unknown_merge_field', message: `${field}: unknown merge field {{${name}}}`, language, ...where, field });
      }
      if (markdown) {
        for (const href of markdownLinks(value)) findings.push(...linkFindings(href, { language, ...where, field }));
      }
    }
  }

  doc.blocks.forEach((block, index) => {
    for (const { field, href } of blockUrls(block)) {
      const path = `blocks[${index}].${field}`;
      for (const name of placeholderFields(href).filter((n) => !isKnownField(n))) {
        findings.push({ level: 'error', code: 'unknown_merge_field', message: `${path}: unknown merge field {{${name}}}`, block: index, field: path });
      }
      findings.push(...linkFindings(href, { block: index, field: path }));
    }
  });

  for (const language of doc.languages) {
    const subject = (doc.subject[language]?.trim() || doc.subject[fallback]?.trim()) ?? '';
    if (!subject) {
      findings.push({ level: 'error', code: 'subject_empty', message: 'The subject is empty', language, field: 'subject' });
    } else if ([...subject].length > SUBJECT_MAX) {
      findings.push({ level: 'warning', code: 'subject_too_long', message: `The subject is ${[...subject].length} characters; inboxes cut it after about ${SUBJECT_MAX}`, language, field: 'subject' });
    }
  }

  if (doc.topic && !context.topicName) {
    findings.push({ level: 'error', code: 'unknown_topic', message: `topic: no topic with key "${doc.topic}"`, field: 'topic' });
  }

  if (!settings.postalAddress.trim()) {
    findings.push({ level: 'error', code: 'no_postal_address', message: 'Settings have no postal address; the law (CAN-SPAM) requires one in every bulletin' });
  }

  for (const compiled of rendered) {
    if (compiled.htmlBytes > GMAIL_CLIP_BYTES) {
      const kb = Math.round(compiled.htmlBytes / 1024);
      findings.push({ level: 'warning', code: 'html_too_large', message: `The HTML is ${kb} KB; Gmail clips mail over 102 KB, footer and unsubscribe link included`, language: compiled.language });
    }
    for (const problem of compiled.mjmlProblems) {
      findings.push({ level: 'error', code: 'mjml_invalid', message: `MJML: ${problem.message} (line ${problem.line}, <${problem.tag}>)`, language: compiled.language });
    }
  }
  return findings;
}

function linkFindings(href: string, where: Pick<Finding, 'language' | 'block' | 'field'>): Finding[] {
  const target = href.trim();
  const label = where.field ?? 'link';
  if (!target) return [{ level: 'error', code: 'empty_link', message: `${label}: a link has no address`, ...where }];
  if (/^https:\/\//i.test(target) || /^mailto:/i.test(target) || /^\{\{\s*\w+_url\s*\}\}$/.test(target)) return [];
  if (/^http:\/\//i.test(target)) {
    return [{ level: 'warning', code: 'insecure_link', message: `${label}: ${target} is not https`, ...where }];
  }
  return [
    {
      level: 'error',
      code: 'unsafe_link',
      message: `${label}: "${target}" is not an https or mailto link${isSafeHref(target) ? '' : ' and is removed from the mail'}`,
      ...where,
    },
  ];
}

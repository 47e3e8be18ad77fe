// Bulletin document + language + settings → a compiled template: subject, preheader, HTML and
// text with per-recipient placeholders left in text and URLs. MJML runs here, once per
// language per send; personalise() does the per-recipient part.
import { bulletinMjml, type ThemeContext } from './theme.js';
import { pick, type BulletinDocument } from '../bulletins/document.js';
import { blockAudiences } from './block-audiences.js';
import { bulletinText } from './plain-text.js';
import { inProcessMjml, type MjmlEngine } from './mjml-engine.js';
import { compileTemplate, markNonce, type Template, withoutBounds } from './template.js';
import type { Rule } from '../audience/rules.js';

export interface MjmlProblem {
  line: number;
  tag: string;
  message: string;
}

export interface CompiledBulletin {
  language: string;
  subject: Template;
  preheader: string;
  html: Template;
  text: Template;
  /** Size of the HTML before personalisation, in bytes (Gmail clips past 102 KB). */
  htmlBytes: number;
  /** What MJML's validator found; rendering goes on regardless ("soft"). */
  mjmlProblems: MjmlProblem[];
  /**
   * The rules of the blocks with an audience, by the block's index in the document: `html` and
   * `text` have a section for each, written only for the readers the rule picks. Absent from
   * templates stored before blocks had audiences, and when no block has one.
   */
  audiences?: BlockAudience[];
}

export interface BlockAudience {
  block: number;
  rule: Rule;
}

export type { ThemeContext } from './theme.js';

/** `mjml` is where MJML runs: the engine made where the process is composed; this thread when left out. */
export async function renderBulletin(
  doc: BulletinDocument,
  language: string,
  context: ThemeContext,
  mjml: MjmlEngine = inProcessMjml,
): Promise<CompiledBulletin> {
  const fallback = doc.languages[0]!;
  const nonce = markNonce();
  const { html, errors } = await mjml.toHtml(bulletinMjml(doc, language, context, nonce), {
    validationLevel: 'soft',
    ignoreIncludes: true,
    // MJML otherwise links Google Fonts for Roboto: every opened mail would tell Google.
    fonts: {},
    keepComments: false,
  });
  const audiences = blockAudiences(doc.blocks).flatMap((rule, i) => (rule ? [{ block: i, rule }] : []));
  return {
    language,
    // One line: no line break or other control character may reach the Subject header.
    subject: compileTemplate(pick(doc.subject, language, fallback).replace(/[\s\u0000-\u001f\u007f]+/g, ' '), 'plain'),
    preheader: pick(doc.preheader, language, fallback),
    html: compileTemplate(html, 'html', nonce),
    text: compileTemplate(bulletinText(doc, language, context, nonce), 'plain', nonce),
    htmlBytes: Buffer.byteLength(withoutBounds(html, nonce)),
    mjmlProblems: errors.map((e) => ({ line: e.line, tag: e.tagName, message: e.message })),
    ...(audiences.length ? { audiences } : {}),
  };
}

/** The MJML source, for the preview's "mjml" format. */
export function bulletinSource(doc: BulletinDocument, language: string, context: ThemeContext): string {
  return bulletinMjml(doc, language, context);
}

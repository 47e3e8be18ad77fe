// Pre-send checks: what would embarrass the organisation or break the law if it went out.
// An `error` blocks sending; a `warning` does not. Each finding names the language, the block
// and the field it is about, so the editor can go straight to it.
import { z } from 'zod';
import type { BlockAudienceFacts } from '../audience/audience-store.js';
import { languageName } from '../audience/languages.js';
import { tagsIn } from '../audience/rules.js';
import { blockAddresses, blockTexts, blockUrls, type TextField, type UrlField } from '../bulletins/block-fields.js';
import { addressIn, type Block, type BulletinDocument, type Localised } from '../bulletins/document.js';
import type { Finding } from '../bulletins/schemas.js';
import { addressScheme, isLinkMergeField, mailtoAddress, publicHost } from '../bulletins/link-address.js';
import { isSafeHref, markdownLinks } from './markdown.js';
import { brandAdjustments, MIN_CONTRAST } from './contrast.js';
import type { CompiledBulletin, ThemeContext } from './render.js';
import { wordsFor } from '../words/catalogue.js';
import { translationFindings } from './translation-checks.js';
import type { TranslationState } from '../bulletins/translation-history.js';
import { isKnownField, placeholderFields, withFallbacks } from './template.js';

export type { Finding };

/** Gmail hides everything past 102 KB of HTML behind "[Message clipped]", footer included. */
export const GMAIL_CLIP_BYTES = 102 * 1024;
/** Past this, a few more paragraphs (or each reader's own links) could reach the clip: warn early. */
export const NEAR_CLIP_BYTES = 90 * 1024;
/** RFC 5322's recommended line length; longer subjects are cut off in most inboxes. */
export const SUBJECT_MAX = 78;

const HASHTAG = /^#[\p{L}\p{N}_]+$/u;

export interface CheckOptions {
  /** The base of every reader's unsubscribe and preference link (PUBLIC_URL). */
  publicUrl?: string;
  /**
   * Where the media library's images are (`PUBLIC_URL/media` or MEDIA_PUBLIC_URL): an image there is
   * this Pregón's own, fine even over http in development (insecure_public_url says that already).
   */
  mediaUrl?: string;
  /** What staff said about the translations, and their history: without it, no translation checks. */
  translations?: TranslationState;
  /** What the database says of the blocks' audiences: without it, no audience checks. */
  blockAudiences?: BlockAudienceFacts;
}

/** An optional text as written in some language, or undefined when it is blank in every one. */
function written(text: Localised | undefined): Localised | undefined {
  return Object.values(text ?? {}).some((value) => value.trim()) ? text : undefined;
}

export function checkBulletin(
  doc: BulletinDocument,
  context: ThemeContext,
  rendered: readonly CompiledBulletin[],
  options: CheckOptions = {},
): Finding[] {
  const { settings } = context;
  const findings: Finding[] = [];
  const fallback = doc.languages[0]!;
  // A preheader left out, or blank in every language, is one gap (missing_preheader), not a
  // translation missing in each; an issue line so is simply not there.
  const preheader = written(doc.preheader);
  const issueLine = written(doc.issueLine);
  const fields: (TextField & { block?: number })[] = [
    { field: 'subject', text: doc.subject, markdown: false },
    ...(preheader ? [{ field: 'preheader', text: preheader, markdown: false }] : []),
    ...(issueLine ? [{ field: 'issueLine', text: issueLine, markdown: false }] : []),
    ...doc.blocks.flatMap((block, index) =>
      blockTexts(block).map((f) => ({ ...f, block: index, field: `blocks[${index}].${f.field}` })),
    ),
  ];

  if (!doc.title.trim())
    findings.push({
      level: 'error',
      code: 'missing_field',
      message: 'title: the bulletin has no title',
      field: 'title',
    });

  for (const { field, text, markdown, alt, block } of fields) {
    const where = block === undefined ? {} : { block };
    for (const language of doc.languages) {
      const value = text[language]?.trim() ?? '';
      if (!value) {
        const name = languageName(language);
        if (alt && !text[fallback]?.trim()) {
          findings.push({
            level: 'error',
            code: 'missing_alt',
            message: `${field}: the image has no alt text`,
            language,
            ...where,
            field,
          });
        } else if (language === fallback) {
          if (field !== 'subject')
            findings.push({
              level: 'error',
              code: 'untranslated',
              message: `${field}: empty in ${name}, the fallback language`,
              language,
              ...where,
              field,
            });
        } else if (!text[fallback]?.trim()) {
          if (field !== 'subject')
            findings.push({
              level: 'error',
              code: 'untranslated',
              message: `${field}: empty in ${name} and in ${languageName(fallback)}, its fallback`,
              language,
              ...where,
              field,
            });
        } else {
          findings.push({
            level: 'warning',
            code: 'untranslated',
            message: `${field}: no ${name} text; ${name} readers get the ${languageName(fallback)} text`,
            language,
            ...where,
            field,
          });
        }
        continue;
      }
      for (const name of placeholderFields(value).filter((n) => !isKnownField(n))) {
        findings.push({
          level: 'error',
          code: 'unknown_merge_field',
          message: `${field}: unknown merge field {{${name}}}`,
          language,
          ...where,
          field,
        });
      }
      if (markdown) {
        for (const href of markdownLinks(value))
          findings.push(...linkFindings(href, { language, ...where, field }, 'text'));
      }
    }
  }

  doc.blocks.forEach((block, index) => {
    const at = (field: string, language?: string) => ({
      block: index,
      field: `blocks[${index}].${field}`,
      ...(language ? { language } : {}),
    });
    for (const { field, href, kind, language } of blockUrls(block)) {
      const where = at(field, language);
      for (const name of placeholderFields(href).filter((n) => !isKnownField(n))) {
        findings.push({
          level: 'error',
          code: 'unknown_merge_field',
          message: `${addressLabel(where)}: unknown merge field {{${name}}}`,
          ...where,
        });
      }
      if (kind === 'image' && options.mediaUrl && href.trim().startsWith(options.mediaUrl)) continue;
      findings.push(...linkFindings(href, where, kind, addressLabel(where)));
    }
    findings.push(
      ...blockFieldFindings(block).map(({ code, field, language, message }) => ({
        level: 'error' as const,
        code,
        message: `${addressLabel(at(field, language))}: ${message}`,
        ...at(field, language),
      })),
    );
  });
  findings.push(...unlocalisedAddressFindings(doc));

  for (const language of doc.languages) {
    const subject = (doc.subject[language]?.trim() || doc.subject[fallback]?.trim()) ?? '';
    if (!subject) {
      findings.push({
        level: 'error',
        code: 'subject_empty',
        message: 'The subject is empty',
        language,
        field: 'subject',
      });
    } else {
      // Measured as a reader without a name gets it: `{{first_name|friend}}` is "friend" in the inbox.
      const length = [...withFallbacks(subject)].length;
      if (length > SUBJECT_MAX)
        findings.push({
          level: 'warning',
          code: 'subject_too_long',
          message: `The subject is ${length} characters; inboxes cut it after about ${SUBJECT_MAX}`,
          language,
          field: 'subject',
        });
    }
  }

  if (!preheader) {
    for (const language of doc.languages) {
      findings.push({
        level: 'warning',
        code: 'missing_preheader',
        message:
          `preheader: empty; inboxes show “${wordsFor(language, settings).footer.viewInBrowser}” and ` +
          `${settings.organisationName} after the subject instead of a teaser`,
        language,
        field: 'preheader',
      });
    }
  }

  if (doc.topic && !context.topicName) {
    findings.push({
      level: 'error',
      code: 'unknown_topic',
      message: `topic: no topic with key "${doc.topic}"`,
      field: 'topic',
    });
  }

  if (!settings.postalAddress.trim()) {
    findings.push({
      level: 'error',
      code: 'no_postal_address',
      message: 'Settings have no postal address; the law (CAN-SPAM) requires one in every bulletin',
    });
  }

  if (options.publicUrl && !/^https:/i.test(options.publicUrl)) {
    findings.push({
      level: 'warning',
      code: 'insecure_public_url',
      message:
        `Unsubscribe and preference links start with ${options.publicUrl}, not https: ` +
        'Gmail and Yahoo refuse one-click unsubscribe without https. ' +
        'Set PUBLIC_URL to the public https address before sending to real people',
    });
  }

  if (options.translations) findings.push(...translationFindings(doc, options.translations));
  if (options.blockAudiences) findings.push(...blockAudienceFindings(doc, options.blockAudiences));

  const lowContrast = brandContrastFinding(settings.brandColor);
  if (lowContrast) findings.push(lowContrast);

  for (const compiled of rendered) {
    if (compiled.htmlBytes > GMAIL_CLIP_BYTES) {
      const kb = Math.round(compiled.htmlBytes / 1024);
      findings.push({
        level: 'warning',
        code: 'html_too_large',
        message: `The HTML is ${kb} KB; Gmail clips mail over 102 KB, footer and unsubscribe link included`,
        language: compiled.language,
      });
    } else if (compiled.htmlBytes > NEAR_CLIP_BYTES) {
      const kb = (compiled.htmlBytes / 1024).toFixed(1);
      findings.push({
        level: 'warning',
        code: 'html_near_limit',
        message:
          `The ${languageName(compiled.language)} HTML is ${kb} KB, near Gmail's 102 KB clip: ` +
          'past it, Gmail hides the rest of the mail, footer and unsubscribe link included',
        language: compiled.language,
      });
    }
    for (const problem of compiled.mjmlProblems) {
      findings.push({
        level: 'error',
        code: 'mjml_invalid',
        message: `MJML: ${problem.message} (line ${problem.line}, <${problem.tag}>)`,
        language: compiled.language,
      });
    }
  }
  return findings;
}

/** The fields of a block that must be filled in, or be well formed, before it can go out. */
/**
 * A brand colour that does not read at 4.5:1 as white button labels or as links on white. A
 * warning: the theme already uses the derived colours (src/render/contrast.ts), which always
 * reach 4.5:1, but the mail does not look the way the organisation chose.
 */
function brandContrastFinding(brand: string): Finding | undefined {
  const changes = brandAdjustments(brand);
  if (!changes.length) return undefined;
  return {
    level: 'warning',
    code: 'low_contrast',
    message: `Brand colour: ${changes.join('; ')}; text needs ${MIN_CONTRAST}:1`,
    field: 'brandColor',
  };
}

/**
 * A block whose audience matches no eligible subscriber of the bulletin's topic (or of the list)
 * is most likely a slip (a tag misspelt, a condition turned round); so is a rule naming a tag
 * nobody has. Warnings: the list may yet grow before the send.
 */
function blockAudienceFindings(doc: BulletinDocument, facts: BlockAudienceFacts): Finding[] {
  const findings: Finding[] = [];
  const unknownTags = new Set(facts.unknownTags);
  const reach = new Map(facts.reach.map(({ index, shown }) => [index, shown]));
  const readers = doc.topic ? `subscriber of the topic “${doc.topic}”` : 'subscriber';
  doc.blocks.forEach((block, index) => {
    if (!block.audience) return;
    const where = { block: index, field: `blocks[${index}].audience` };
    if (reach.get(index) === 0) {
      findings.push({
        level: 'warning',
        code: 'block_shown_to_nobody',
        message: `${where.field}: shown to nobody: no ${readers} who can be mailed matches the block’s audience`,
        ...where,
      });
    }
    for (const tag of new Set(tagsIn(block.audience).filter((t) => unknownTags.has(t)))) {
      findings.push({
        level: 'warning',
        code: 'unknown_tag',
        message: `${where.field}: no subscriber has the tag “${tag}”`,
        ...where,
      });
    }
  });
  return findings;
}

type BlockFieldFinding = { code: Finding['code']; field: string; language?: string; message: string };

function blockFieldFindings(block: Block): BlockFieldFinding[] {
  const out: BlockFieldFinding[] = [];
  switch (block.type) {
    case 'statement':
      if (!block.speaker.trim())
        out.push({ code: 'missing_field', field: 'speaker', message: 'the speaker’s name is empty' });
      break;
    case 'call_to_action':
      if (block.goal && !(block.goal.target > 0))
        out.push({ code: 'invalid_field', field: 'goal.target', message: 'the goal must be more than 0' });
      if (block.goal?.current !== undefined && block.goal.current < 0)
        out.push({ code: 'invalid_field', field: 'goal.current', message: 'the count so far must be 0 or more' });
      break;
    case 'survey': {
      if (block.contact !== undefined && !z.email().safeParse(block.contact).success) {
        out.push({ code: 'invalid_field', field: 'contact', message: `“${block.contact}” is not an email address` });
      }
      const lists: [string | undefined, string[]][] = Array.isArray(block.hashtags)
        ? [[undefined, block.hashtags]]
        : Object.entries(block.hashtags ?? {});
      for (const [language, tags] of lists)
        tags.forEach((tag, i) => {
          if (!HASHTAG.test(tag))
            out.push({
              code: 'invalid_field',
              field: `hashtags[${i}]`,
              ...(language ? { language } : {}),
              message: `“${tag}” is not a hashtag: # and then letters, digits or _, such as #TakeTheSurvey`,
            });
        });
      break;
    }
  }
  return out;
}

/** "blocks[2].button.href", or "blocks[2].button.href (Spanish)" for one language's own address. */
function addressLabel({ field, language }: Pick<Finding, 'field' | 'language'>): string {
  return language ? `${field} (${languageName(language)})` : (field ?? 'link');
}

/**
 * url_not_localised: once some link or image in the bulletin leads each language to its own page,
 * a block translated into a language whose link or image still leads to the fallback language's
 * page is most likely an address forgotten, and its readers land on a page they may not read.
 */
function unlocalisedAddressFindings(doc: BulletinDocument): Finding[] {
  const fallback = doc.languages[0]!;
  const localised = doc.blocks.some((block) =>
    blockAddresses(block).some(
      ({ value }) => typeof value !== 'string' && new Set(Object.values(value).filter((v) => v.trim())).size > 1,
    ),
  );
  if (!localised) return [];
  const findings: Finding[] = [];
  doc.blocks.forEach((block, index) => {
    const texts = blockTexts(block);
    for (const language of doc.languages.slice(1)) {
      if (!texts.some(({ text }) => text[language]?.trim())) continue;
      for (const { field, value, kind } of blockAddresses(block)) {
        const own = typeof value === 'string' ? '' : (value[language]?.trim() ?? '');
        const address = addressIn(value, language, fallback).trim();
        if (own || !address || isLinkMergeField(address)) continue;
        const what = kind === 'image' ? 'image' : 'address';
        findings.push({
          level: 'warning',
          code: 'url_not_localised',
          message:
            `blocks[${index}].${field}: ${languageName(language)} readers get the ${languageName(fallback)} ` +
            `${what} while other links in the bulletin are localised`,
          language,
          block: index,
          field: `blocks[${index}].${field}`,
        });
      }
    }
  });
  return findings;
}

/**
 * What is wrong with a link or image address. In a block's own address fields only https will do;
 * in Markdown text an http link is a warning and a mailto link is fine.
 */
function linkFindings(
  href: string,
  where: Pick<Finding, 'language' | 'block' | 'field'>,
  kind: UrlField['kind'] | 'text',
  label = where.field ?? 'link',
): Finding[] {
  const target = href.trim();
  const what = kind === 'image' ? 'the image' : 'the link';
  const error = (code: Finding['code'], message: string): Finding[] => [
    { level: 'error', code, message: `${label}: ${message}`, ...where },
  ];
  if (!target) return error('empty_link', `${what} has no address`);
  if (isLinkMergeField(target)) return [];
  const scheme = addressScheme(target);
  if (scheme === undefined)
    return error('incomplete_link', `“${target}” is not a whole address; it needs https:// in front`);
  if (scheme === 'mailto' && kind === 'text')
    return mailtoAddress(target) ? [] : error('incomplete_link', `“${target}” has no email address after mailto:`);
  if (scheme === 'http' || scheme === 'https') {
    if (!publicHost(target))
      return error('incomplete_link', `“${target}” has no address after ${scheme}://; it is still a placeholder`);
    if (scheme === 'https') return [];
    if (kind !== 'text') return error('insecure_link', `${target} is not https; ${what} must be an https address`);
    return [{ level: 'warning', code: 'insecure_link', message: `${label}: ${target} is not https`, ...where }];
  }
  const allowed = kind === 'text' ? 'an https or mailto link' : 'an https address';
  return error(
    'unsafe_link',
    `“${target}” is not ${allowed}${isSafeHref(target) ? '' : ' and is removed from the mail'}`,
  );
}

// The plain-text part of a bulletin: headings set off by a rule, lists as "- ", links as
// "label: url", the same footer as the HTML. Written from the document, not from the HTML.
import { goalLine } from './strings.js';
import { fillSlots, wordsFor, type Words } from '../words/catalogue.js';
import type { ThemeContext } from './theme.js';
import {
  addressIn,
  hashtagsIn,
  pick,
  type AddressValue,
  type Block,
  type BulletinDocument,
  type Localised,
} from '../bulletins/document.js';
import { markdownToText } from './markdown.js';
import { formattingLocale } from '../settings/settings.js';
import { describeRule } from '../audience/rule-sentence.js';
import { blockAudiences } from './block-audiences.js';
import { blockMarks } from './template.js';

/** `nonce` as for bulletinMjml: the bounds of each block with an audience, the blank line after it inside them. */
export function bulletinText(doc: BulletinDocument, language: string, context: ThemeContext, nonce?: string): string {
  const fallback = doc.languages[0]!;
  const t = (text: Localised | undefined) => pick(text, language, fallback);
  const { settings } = context;
  const words = wordsFor(language, settings);
  const strings = words.footer;
  const locale = formattingLocale(settings, language);
  const topic = context.topicName ? t(context.topicName) : '';
  const why = topic
    ? fillSlots(strings.whyTopic, { topic, organisation: settings.organisationName })
    : fillSlots(strings.whyGeneral, { organisation: settings.organisationName });

  const marks = nonce === undefined ? undefined : blockMarks(nonce);
  const audiences = blockAudiences(doc.blocks);
  const blocks = doc.blocks.map((block, i) => {
    const text = blockText(block, t, language, fallback, words, locale);
    if (!text) return '';
    if (!audiences[i]) return `${text}\n\n`;
    const label = context.labelAudiences && block.audience ? `[Shown to: ${describeRule(block.audience)}]\n` : '';
    return marks ? `${marks.start(i)}${label}${text}\n\n${marks.end(i)}` : `${label}${text}\n\n`;
  });
  const sections = [
    `${strings.viewInBrowser}: {{view_url}}`,
    [settings.organisationName.toUpperCase(), t(doc.issueLine)].filter(Boolean).join('\n'),
    `${blocks.join('')}---`,
    why,
    `${strings.preferences}: {{preferences_url}}\n${strings.unsubscribe}: {{unsubscribe_url}}`,
    [settings.organisationName, settings.postalAddress].filter(Boolean).join('\n'),
  ];
  return `${sections.join('\n\n')}\n`;
}

function blockText(
  block: Block,
  t: (text: Localised | undefined) => string,
  language: string,
  fallback: string,
  words: Words,
  /** The locale of the language's numbers (Settings). */
  locale: string,
): string {
  const address = (value: AddressValue | undefined) => addressIn(value, language, fallback);
  const heading = (text: string) => (text ? `${text}\n${'='.repeat(Math.min(text.length, 60))}` : '');
  const link = (l: { href: AddressValue; label: Localised } | undefined) =>
    l ? `${t(l.label)}: ${address(l.href)}` : '';
  const join = (...parts: string[]) => parts.filter(Boolean).join('\n\n');
  switch (block.type) {
    case 'announcement':
      return join(heading(t(block.heading)), markdownToText(t(block.body)), link(block.link));
    case 'statement': {
      const quote = markdownToText(t(block.quote))
        .split('\n')
        .map((line) => `> ${line}`.trimEnd())
        .join('\n');
      const role = t(block.role);
      return join(
        heading(t(block.heading)),
        `${quote}\n\n— ${block.speaker}${role ? `, ${role}` : ''}`,
        link(block.link),
      );
    }
    case 'call_to_action': {
      const goal = block.goal ? goalLine(block.goal, t(block.goal.unit), words.bulletin, locale) : '';
      return join(heading(t(block.heading)), markdownToText(t(block.body)), goal, link(block.button));
    }
    case 'survey': {
      return join(
        heading(t(block.heading)),
        markdownToText(t(block.body)),
        (block.items ?? []).map((item) => `- ${t(item)}`).join('\n'),
        block.contact ? `${words.bulletin.contact}: ${block.contact}` : '',
        link(block.button),
        hashtagsIn(block.hashtags, language, fallback).join(' '),
      );
    }
    case 'text':
      return markdownToText(t(block.body));
    case 'image':
      return address(block.href) ? `${t(block.alt)}: ${address(block.href)}` : '';
    case 'divider':
      return '---';
  }
}

// The rich text editor's document from a Markdown body and back. Markdown stays the stored format:
// it is read with the server's own lexer, and written so the server renders the same mail.
import type { JSONContent } from '@tiptap/core';
import type { Token, Tokens } from 'marked';
import { lexMarkdown } from '../../render/markdown-lexer.js';

type Mark = NonNullable<JSONContent['marks']>[number];

/**
 * Markdown the editor has no control for (raw HTML, code, images, rules, tables) is kept as typed
 * in this mark, written back verbatim; the mail renders it as it always did.
 */
export const RAW_MARK = 'raw';

// ---- Markdown → document

export function markdownToDoc(markdown: string): JSONContent {
  return { type: 'doc', content: blocks(lexMarkdown(markdown)) };
}

function blocks(tokens: Token[]): JSONContent[] {
  return tokens.flatMap((token): JSONContent[] => {
    switch (token.type) {
      case 'space':
        return [];
      case 'paragraph':
      case 'text':
      // The mail shows headings as paragraphs (src/render/markdown.ts), and the quotes' marks are dropped.
      case 'heading':
        return [
          paragraph(inline((token as Tokens.Paragraph).tokens ?? [{ type: 'text', raw: token.raw, text: token.raw }])),
        ];
      case 'blockquote':
        return blocks((token as Tokens.Blockquote).tokens);
      case 'list':
        return [list(token as Tokens.List)];
      default:
        return [paragraph([rawText(token.raw.replace(/\n+$/, ''))])];
    }
  });
}

function list(token: Tokens.List): JSONContent {
  const items = token.items.map((item): JSONContent => {
    const content = blocks(item.tokens);
    // An item starts with a paragraph in the editor's schema, even one that opens on a nested list.
    if (content[0]?.type !== 'paragraph') content.unshift(paragraph([]));
    return { type: 'listItem', content };
  });
  const attrs = { loose: token.loose, ...(token.ordered ? { start: Number(token.start || 1) } : {}) };
  return { type: token.ordered ? 'orderedList' : 'bulletList', attrs, content: items };
}

function paragraph(content: JSONContent[]): JSONContent {
  return content.length ? { type: 'paragraph', content } : { type: 'paragraph' };
}

function inline(tokens: Token[], marks: Mark[] = []): JSONContent[] {
  return tokens.flatMap((token): JSONContent[] => {
    switch (token.type) {
      case 'text': {
        const text = token as Tokens.Text;
        return text.tokens ? inline(text.tokens, marks) : plainText(text.text, marks);
      }
      case 'escape':
        return textNode((token as Tokens.Escape).text, marks);
      case 'strong':
        return inline((token as Tokens.Strong).tokens, [...marks, { type: 'bold' }]);
      case 'em':
        return inline((token as Tokens.Em).tokens, [...marks, { type: 'italic' }]);
      // The mail drops strikethrough's <del> and keeps its text.
      case 'del':
        return inline((token as Tokens.Del).tokens, marks);
      case 'link': {
        const link = token as Tokens.Link;
        return inline(link.tokens, [...marks, { type: 'link', attrs: { href: link.href } }]);
      }
      case 'br':
        return [{ type: 'hardBreak', ...(marks.length ? { marks } : {}) }];
      default:
        return [rawText(token.raw, marks)];
    }
  });
}

/**
 * Text as the reader sees it: the entities marked leaves for the browser are read, except those
 * the editor could not write back the same way, which are kept raw.
 */
function plainText(text: string, marks: Mark[]): JSONContent[] {
  return text.split(/(&#?\w+;)/).flatMap((part, i) => {
    if (i % 2 === 0) return textNode(part, marks);
    const character = decodeEntity(part);
    return character === undefined ? [rawText(part, marks)] : textNode(character, marks);
  });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntity(entity: string): string | undefined {
  const name = entity.slice(1, -1);
  const code = /^#(x[0-9a-f]+|\d+)$/i.exec(name)?.[1];
  if (code === undefined) return ENTITIES[name];
  const point = code[0] === 'x' || code[0] === 'X' ? Number.parseInt(code.slice(1), 16) : Number(code);
  return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : undefined;
}

function textNode(text: string, marks: Mark[]): JSONContent[] {
  if (!text) return [];
  return [{ type: 'text', text, ...(marks.length ? { marks } : {}) }];
}

function rawText(text: string, marks: Mark[] = []): JSONContent {
  return { type: 'text', text, marks: [...marks, { type: RAW_MARK }] };
}

// ---- document → Markdown

export function docToMarkdown(doc: JSONContent): string {
  return blocksMarkdown(doc.content ?? [], false);
}

function blocksMarkdown(nodes: JSONContent[], tight: boolean): string {
  const parts: string[] = [];
  let previous: JSONContent | undefined;
  for (const node of nodes) {
    const text = blockMarkdown(node, previous);
    if (text === '') continue;
    parts.push(text);
    previous = node;
  }
  return parts.join(tight ? '\n' : '\n\n');
}

function blockMarkdown(node: JSONContent, previous: JSONContent | undefined): string {
  switch (node.type) {
    case 'paragraph':
      return inlineMarkdown(withoutEdgeBreaks(node.content ?? [])).trim();
    case 'bulletList':
    case 'orderedList':
      return listMarkdown(node, previous?.type === node.type);
    default:
      return blocksMarkdown(node.content ?? [], false);
  }
}

/** A line break at a paragraph's start or end has no Markdown: "\\" alone there is a backslash. */
function withoutEdgeBreaks(nodes: JSONContent[]): JSONContent[] {
  const isBreak = (node: JSONContent | undefined) => node?.type === 'hardBreak';
  let [from, to] = [0, nodes.length];
  while (from < to && isBreak(nodes[from])) from += 1;
  while (to > from && isBreak(nodes[to - 1])) to -= 1;
  return nodes.slice(from, to);
}

/**
 * A list right after one of the same kind would join it; a different bullet ("*" after "-") or
 * number delimiter (")" after ".") starts a new one.
 */
function listMarkdown(list: JSONContent, followsSameKind: boolean): string {
  const items = list.content ?? [];
  const ordered = list.type === 'orderedList';
  const start = Number(list.attrs?.start ?? 1);
  const loose = Boolean(list.attrs?.loose) || items.some((item) => (item.content ?? []).filter(isParagraph).length > 1);
  return items
    .map((item, i) => {
      const marker = ordered ? `${start + i}${followsSameKind ? ')' : '.'} ` : followsSameKind ? '* ' : '- ';
      const body = blocksMarkdown(item.content ?? [], !loose);
      const indent = ' '.repeat(marker.length);
      return marker + body.replace(/\n(?=.)/g, `\n${indent}`);
    })
    .join(loose ? '\n\n' : '\n');
}

const isParagraph = (node: JSONContent) => node.type === 'paragraph';

interface Segment {
  text: string;
  /** Emphasis and link marks, outermost first as far as the segment knows. */
  marks: Mark[];
  raw: boolean;
  lineBreak: boolean;
}

const DELIMITERS: Record<string, string> = { bold: '**', italic: '*' };

/**
 * Inline content with its marks nested: a mark stays open while the next segments keep it, and of
 * those opened together the one that runs longest opens first. Spaces at a mark's edges move
 * outside it, since "** bold**" is not bold in Markdown.
 */
function inlineMarkdown(nodes: JSONContent[]): string {
  const segments = joinText(nodes).map(segment);
  let out = '';
  const open: Mark[] = [];
  const close = (count: number) => {
    const trailing = /[ \t\u00a0]*$/.exec(out)![0];
    out = out.slice(0, out.length - trailing.length);
    for (const mark of open.splice(open.length - count).reverse()) out += closing(mark);
    out += trailing;
  };
  segments.forEach((seg, index) => {
    const keep = open.findIndex((mark) => !seg.marks.some((m) => sameMark(m, mark)));
    if (keep !== -1) close(open.length - keep);
    const opening = seg.marks
      .filter((mark) => !open.some((m) => sameMark(m, mark)))
      .sort((a, b) => runLength(segments, index, b) - runLength(segments, index, a));
    let text = seg.text;
    if (opening.length && !seg.raw) {
      const leading = /^[ \t\u00a0]*/.exec(text)![0];
      out += escapeText(leading, out);
      text = text.slice(leading.length);
    }
    for (const mark of opening) {
      out += mark.type === 'link' ? '[' : DELIMITERS[mark.type]!;
      open.push(mark);
    }
    if (seg.lineBreak) out += '\\\n';
    else out += seg.raw ? text : escapeText(text, out);
  });
  close(open.length);
  return out;
}

/** Neighbouring texts with the same marks as one, so escaping sees "1" and "." together. */
function joinText(nodes: JSONContent[]): JSONContent[] {
  const joined: JSONContent[] = [];
  for (const node of nodes) {
    const last = joined.at(-1);
    if (last?.type === 'text' && node.type === 'text' && sameMarks(last.marks ?? [], node.marks ?? []))
      joined[joined.length - 1] = { ...last, text: `${last.text}${node.text}` };
    else joined.push(node);
  }
  return joined;
}

function sameMarks(a: Mark[], b: Mark[]): boolean {
  return a.length === b.length && a.every((mark) => b.some((other) => sameMark(mark, other)));
}

function segment(node: JSONContent): Segment {
  const marks = node.marks ?? [];
  const raw = marks.some((mark) => mark.type === RAW_MARK);
  const lineBreak = node.type === 'hardBreak';
  const text = node.text ?? '';
  // Bold or italic spaces show as nothing and would leave "** **" behind.
  const visible = lineBreak || text.trim() !== '';
  return {
    text,
    raw,
    lineBreak,
    marks: marks.filter((mark) => mark.type === 'link' || (visible && mark.type in DELIMITERS)),
  };
}

function closing(mark: Mark): string {
  return mark.type === 'link' ? `](${linkDestination(String(mark.attrs?.href ?? ''))})` : DELIMITERS[mark.type]!;
}

function sameMark(a: Mark, b: Mark): boolean {
  return a.type === b.type && (a.type !== 'link' || a.attrs?.href === b.attrs?.href);
}

function runLength(segments: Segment[], from: number, mark: Mark): number {
  let end = from;
  while (end < segments.length && segments[end]!.marks.some((m) => sameMark(m, mark))) end += 1;
  return end - from;
}

/** An address in "(…)": in "<…>" when it holds spaces, so merge fields like {{first_name|dear friend}} stay whole. */
function linkDestination(href: string): string {
  if (/\s/.test(href)) return `<${href.replace(/[\\<>]/g, '\\$&')}>`;
  return href.replace(/[\\()]/g, '\\$&');
}

/**
 * Text the reader should see as typed: the characters that would start Markdown are escaped with a
 * backslash, except inside merge fields, which the server reads from the Markdown as written.
 * `before` is the Markdown written so far, to know where lines start.
 */
export function escapeText(text: string, before = ''): string {
  let atLineStart = /(^|\n)$/.test(before);
  return text
    .split(/(\{\{[^{}]*\}\})/)
    .map((part, i) => {
      if (i % 2 === 1) {
        atLineStart = false;
        return part;
      }
      const lines = part.split('\n').map((line, j) => {
        const escaped = escapeInline(j === 0 ? line : line.trimStart());
        return (j > 0 || atLineStart) && escaped ? escapeLineStart(escaped) : escaped;
      });
      if (part) atLineStart = part.endsWith('\n');
      // Two spaces before a line's end would make a line break of it.
      return lines.map((line, j) => (j < lines.length - 1 ? line.trimEnd() : line)).join('\n');
    })
    .join('');
}

function escapeInline(text: string): string {
  return (
    text
      .replace(/[\\*`[\]~]/g, '\\$&')
      // "_" is emphasis only at a word's edge; inside words ("snake_case") it is text.
      .replace(/(^|[^\p{L}\p{N}])_|_(?=[^\p{L}\p{N}]|$)/gu, (match) => match.replace('_', '\\_'))
      .replace(/<(?=[a-z/!?])/gi, '\\<')
      .replace(/&(?=#?\w+;)/g, '&amp;')
  );
}

/** What would open a heading, quote, list, rule or table at the start of a line. */
function escapeLineStart(line: string): string {
  if (/^(#{1,6}|[-+])(\s|$)|^[>|]|^=+\s*$|^-+\s*$/.test(line)) return `\\${line}`;
  return line.replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

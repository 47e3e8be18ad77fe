// Streams a CSV of subscribers into the store a batch at a time, so memory stays flat however
// long the file is. Bad rows are reported with their lines and skipped; the rest are imported.
import type { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { parse, type CsvError, type Info, type InfoRecord } from 'csv-parse';
import { z } from 'zod';
import { AppError, formatPath } from '../errors.js';
import { unstorableJson } from '../http/storable-input.js';
import { AttributeName, Attributes, Email, LanguageCode, Tag, TopicKey, type ImportReport } from './schemas.js';
import type { ConfirmationRequests } from './confirmation-requests.js';
import type { ImportRow, SubscriberStore } from './subscriber-store.js';

/** Problems an import report lists; `failed` counts them all. */
export const MAX_REPORTED_ERRORS = 1000;
export const MAX_EMAIL_LENGTH = 254;
/** What a decoder puts where bytes were not UTF-8; a UTF-16 file also shows NUL bytes between its letters. */
const NOT_UTF8 = /[\ufffd\u0000]/;
const SAVE_AS_UTF8 = 'save the file as "CSV UTF-8"';
/**
 * Rows written in one transaction. A commit writes every page its batch touched, and each new
 * address lands on a random page of the email-hash index (and, in a real list, of the email
 * index): the more rows a batch holds, the more of them share a page. 2,000 rows are a megabyte
 * or two of memory; 500 cost a fifth more CPU for the same import (docs/performance.md).
 */
export const BATCH_SIZE = 2000;
/** Batches in their transactions at once (see importSubscribers). */
const BATCHES_WRITTEN_AT_ONCE = 3;
/** Columns that describe a subscriber; any other column becomes an attribute. */
const KNOWN_COLUMNS = new Set(['email', 'name', 'language', 'topics', 'tags', 'attributes']);
/** Columns an export writes that an import must not take as attributes (or as a status). */
const IGNORED_COLUMNS = new Set(['id', 'status', 'created_at', 'updated_at']);

const list = (item: z.ZodType<string, string>) =>
  z
    .string()
    .default('')
    .transform((cell) =>
      cell
        .split(/[;|,]/)
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

const CsvRow = z.object({
  email: Email,
  name: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  language: z.preprocess((v) => (v === '' ? undefined : v), LanguageCode.optional()),
  topics: list(TopicKey),
  tags: list(Tag),
  attributes: z
    .string()
    .optional()
    .transform((cell, ctx) => {
      if (!cell) return {};
      let value: unknown;
      try {
        value = JSON.parse(cell);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
        return z.NEVER;
      }
      // Before zod's recursive z.json() reads it: 10,000 levels would exhaust the stack.
      const issue = unstorableJson(value, '');
      if (issue) ctx.addIssue({ code: 'custom', message: issue.message });
      return issue ? z.NEVER : value;
    })
    .pipe(Attributes),
});

/**
 * Imports a CSV file. With `confirmations`, each new subscriber's confirmation mail is queued as
 * their batch is written (the ids only, in a few round trips a batch): not those already there.
 */
export async function importSubscribers(
  store: SubscriberStore,
  csv: Readable,
  status: 'active' | 'pending',
  confirmations?: ConfirmationRequests,
): Promise<ImportReport> {
  const report: ImportReport = {
    rows: 0,
    created: 0,
    merged: 0,
    failed: 0,
    ...(confirmations ? { confirmationsQueued: 0 } : {}),
    errors: [],
  };
  const fail = (line: number, message: string, { email, lastLine }: { email?: string; lastLine?: number } = {}) => {
    report.failed += lastLine ? lastLine - line + 1 : 1;
    // An "address" longer than any address is not echoed: the line says which row it was.
    const shown = email && email.length <= MAX_EMAIL_LENGTH ? { email } : {};
    if (report.errors.length < MAX_REPORTED_ERRORS)
      report.errors.push({ line, ...(lastLine ? { lastLine } : {}), ...shown, message });
  };
  const rowLines = lineCounter();
  const topicIds = await store.topicIds();
  let pending = new Map<string, ImportRow>();

  const write = async (batch: ImportRow[]) => {
    const result = await store.mergeBatch(batch, status);
    report.created += result.createdIds.length;
    report.merged += result.merged;
    if (confirmations && result.createdIds.length) {
      await confirmations.confirm(result.createdIds);
      report.confirmationsQueued = (report.confirmationsQueued ?? 0) + result.createdIds.length;
    }
    for (const { row, reason } of result.suppressed) {
      fail(row.line, `address is suppressed (${reason}) and was not imported`, { email: row.email });
    }
  };
  // Three batches are written at once, each in its own transaction, while the next is read: on
  // PostgreSQL server processes write on both cores as this one parses, and one batch's commit
  // does not hold up the others' statements (SQLite's one connection takes them in turn). A batch
  // holding an address that one being written holds waits for it, so a later row for an address
  // always adds to what the earlier one wrote.
  const writing: { emails: Set<string>; done: Promise<void> }[] = [];
  const settle = async () => {
    const results = await Promise.allSettled(writing.splice(0).map((batch) => batch.done));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  };
  const flush = async () => {
    const batch = [...pending.values()];
    const emails = new Set(pending.keys());
    pending = new Map();
    while (
      writing.length >= BATCHES_WRITTEN_AT_ONCE ||
      writing.some((other) => batch.some((row) => other.emails.has(row.email)))
    ) {
      await writing.shift()!.done;
    }
    const done = write(batch);
    // Awaited before a later batch or the end; until then its failure must not go unhandled.
    done.catch(() => undefined);
    writing.push({ emails, done });
  };

  const parser = csv.pipe(
    parse({
      ...CSV_READING,
      columns: checkHeader,
      on_record: ({ record }: { record: Record<string, string> }, info: InfoRecord): ParsedRow => ({
        record,
        ...rowLines(info),
      }),
    }),
  );
  parser.on('skip', (err: SkippedRecord) => {
    const { line, lastLine, rows, message } = skippedRow(err, rowLines, 'imported');
    report.rows += rows;
    fail(line, message, { lastLine });
  });

  try {
    await readRows();
  } catch (err) {
    // A failed read still waits for the batches being written: nothing runs on after the import ends.
    await settle().catch(() => undefined);
    throw err;
  }
  await flush();
  await settle();
  // Suppressed rows are known only when their batch is written, and skipped records are
  // announced before the rows parsed ahead of them: put the report back in file order.
  report.errors.sort((a, b) => a.line - b.line);
  return report;

  async function readRows(): Promise<void> {
    for await (const { record, first, last } of parser as AsyncIterable<ParsedRow>) {
      report.rows += 1;
      const row = toImportRow(record, first, topicIds);
      if ('error' in row) {
        fail(first, spanned(first, last, row.error), { email: record.email?.trim() || undefined });
        continue;
      }
      const earlier = pending.get(row.email);
      if (earlier) {
        pending.set(row.email, mergeRows(earlier, row));
        report.merged += 1;
      } else {
        pending.set(row.email, row);
      }
      if (pending.size >= BATCH_SIZE) await flush();
      // Now and then the answers of the statements being written are let in, so the next statement
      // goes out at once rather than after the rest of the batch is read.
      else if (report.rows % 100 === 0) await setImmediate();
    }
  }
}

/**
 * How every CSV of ours is read. Each row comes with its text (`raw`), for lineCounter, in an
 * `on_record` the caller adds: called as the parser reads, before the rows reach the caller's loop.
 */
export const CSV_READING = {
  bom: true,
  raw: true,
  skip_empty_lines: true,
  skip_records_with_error: true,
  // A stray quote inside a value is read as a character. Strict, csv-parse reports the row
  // twice, or goes on inside the quote and swallows the rows after it without a word; trimming
  // after a closing quote drops the rest of the chunk. Cells are trimmed by the caller.
  relax_quotes: true,
  ltrim: true,
} as const;

interface ParsedRow {
  record: Record<string, string>;
  first: number;
  last: number;
}

/**
 * The lines of each row, skipped ones too, called in file order: a row starts on the line after
 * the one before it ended (or after the `headerLines` first lines), past the empty lines between
 * (or before the header), and ends as many line breaks later as its text holds. csv-parse's own
 * count (`info.lines`) takes a CRLF inside quotes for two lines, and a spreadsheet's file is CRLF
 * throughout.
 */
export function lineCounter(
  headerLines = 1,
): (info: Pick<InfoRecord, 'empty_lines' | 'raw'>) => { first: number; last: number } {
  let end = headerLines;
  let emptyLines = 0;
  return ({ empty_lines, raw }) => {
    const first = end + 1 + empty_lines - emptyLines;
    // The raw text starts with the empty lines before the row and ends with its line break.
    const text = raw!.trim();
    end = /[\r\n]/.test(text) ? first + lineBreaks(text) : first;
    emptyLines = empty_lines;
    return { first, last: end };
  };
}

/** CRLF, LF and a lone CR are one line break each. */
function lineBreaks(text: string): number {
  let breaks = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || (code === 13 && text.charCodeAt(i + 1) !== 10)) breaks += 1;
  }
  return breaks;
}

/** What csv-parse passes a `skip` listener. */
export type SkippedRecord = CsvError & Info & { raw: string; record?: string[] };

/** A row csv-parse skipped, as a report tells it: its lines, the rows it counts for, and why it was `not …`. */
export function skippedRow(
  err: SkippedRecord,
  rowLines: ReturnType<typeof lineCounter>,
  not: 'imported' | 'tagged',
): { line: number; lastLine?: number; rows: number; message: string } {
  const { first, last } = rowLines(err);
  if (err.code === 'CSV_QUOTE_NOT_CLOSED' && last > first) {
    // The lines after the quote were never told apart: each is a row not read.
    const message =
      `lines ${first}–${last} were not ${not}: a quote opened on line ${first} is never closed, ` +
      'so the rest of the file was read as one value';
    return { line: first, lastLine: last, rows: last - first + 1, message };
  }
  return { line: first, rows: 1, message: spanned(first, last, unreadable(err)) };
}

/** A row that runs over several lines says so: a stray quote may have joined rows that were meant apart. */
export function spanned(first: number, last: number, problem: string): string {
  return last > first
    ? `lines ${first}–${last} were read as one row (a quoted value runs across them): ${problem}`
    : problem;
}

/** csv-parse's reason for skipping a row, in words that say what to fix. */
function unreadable(err: CsvError & { record?: string[]; columns?: unknown[] }): string {
  if (err.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' && err.record && err.columns) {
    const values = err.record.length;
    return `has ${values} ${values === 1 ? 'value' : 'values'} where the header has ${err.columns.length} columns`;
  }
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quote opened on this line is never closed';
  return `cannot be read as CSV (${err.message})`;
}

/** A first line that shows a file is not UTF-8 refuses it whole: every row after it would be read wrong. */
export function refuseNotUtf8(firstLine: readonly string[]): void {
  if (firstLine.some((cell) => NOT_UTF8.test(cell))) {
    throw AppError.invalid([
      {
        path: 'body',
        message: `the file is not UTF-8 text (it may be UTF-16, Latin-1 or Windows-1252): ${SAVE_AS_UTF8}`,
      },
    ]);
  }
}

/** Before any row is read: the header has an email column, and every other column can be an attribute. */
function checkHeader(header: string[]): string[] {
  const columns = header.map((column) => column.trim().toLowerCase());
  refuseNotUtf8(columns);
  if (!columns.includes('email')) {
    throw AppError.invalid([{ path: 'body', message: 'the first line must be a header with an "email" column' }]);
  }
  const bad = columns.filter(
    (c) => !KNOWN_COLUMNS.has(c) && !IGNORED_COLUMNS.has(c) && !AttributeName.safeParse(c).success,
  );
  if (bad.length) {
    throw AppError.invalid([
      { path: 'body', message: `column ${bad.map((c) => JSON.stringify(c)).join(', ')} cannot be an attribute name` },
    ]);
  }
  return columns;
}

function toImportRow(
  read: Record<string, string>,
  line: number,
  topicIds: Map<string, number>,
): ImportRow | { error: string } {
  const record: Record<string, string> = {};
  for (const [column, cell] of Object.entries(read)) record[column] = cell.trim();
  // Stored as read, a byte that was not UTF-8 would become U+FFFD in a name for good.
  const mojibake = Object.entries(record).find(([, cell]) => cell.includes('\ufffd'));
  if (mojibake) return { error: `${mojibake[0]}: is not UTF-8 text: ${SAVE_AS_UTF8}` };
  const unstorable = unstorableJson(record, '');
  if (unstorable) return { error: `${unstorable.path}: ${unstorable.message}` };
  const parsed = CsvRow.safeParse(record);
  if (!parsed.success) {
    return { error: parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ') };
  }
  const unknown = parsed.data.topics.filter((key) => !topicIds.has(key));
  if (unknown.length) return { error: `topics: no topic with key ${unknown.map((k) => `"${k}"`).join(', ')}` };

  const extra: Attributes = {};
  for (const [column, value] of Object.entries(record)) {
    if (!KNOWN_COLUMNS.has(column) && !IGNORED_COLUMNS.has(column) && value !== '') extra[column] = value;
  }
  const { email, name, language, topics, tags, attributes } = parsed.data;
  return {
    line,
    email,
    ...(name ? { name } : {}),
    ...(language ? { language } : {}),
    topicIds: topics.map((key) => topicIds.get(key)!),
    tags,
    attributes: { ...attributes, ...extra },
  };
}

/** A later row for the same address adds to the earlier one; its non-empty values win. */
function mergeRows(earlier: ImportRow, later: ImportRow): ImportRow {
  return {
    line: later.line,
    email: later.email,
    ...((later.name ?? earlier.name) ? { name: later.name ?? earlier.name } : {}),
    ...((later.language ?? earlier.language) ? { language: later.language ?? earlier.language } : {}),
    topicIds: [...new Set([...earlier.topicIds, ...later.topicIds])],
    tags: [...new Set([...earlier.tags, ...later.tags])],
    attributes: { ...earlier.attributes, ...later.attributes },
  };
}

// Adds a tag to, or removes it from, many subscribers at once: from a JSON list of addresses, or
// from a CSV file (a petition's signers, say) read as it streams, a batch at a time, so memory stays
// flat however long the file is. Addresses that are not one are reported and skipped.
import type { Readable } from 'node:stream';
import { type Options, parse } from 'csv-parse';
import {
  BATCH_SIZE,
  CSV_READING,
  lineCounter,
  MAX_EMAIL_LENGTH,
  MAX_REPORTED_ERRORS,
  refuseNotUtf8,
  type SkippedRecord,
  skippedRow,
  spanned,
} from './csv-import.js';
import { type BulkTagProblem, type BulkTagReport, type BulkTagRequest, Email, type TagAction } from './schemas.js';
import type { SubscriberStore } from './subscriber-store.js';

interface ReadRow {
  record: string[];
  first: number;
  last: number;
}

/** Where an address came from: a CSV row's lines, or its place in a JSON list. */
type Place = Omit<BulkTagProblem, 'email' | 'message'>;

export async function tagFromList(store: SubscriberStore, request: BulkTagRequest): Promise<BulkTagReport> {
  const tagging = new Tagging(store, request.tag, request.action);
  for (const [index, address] of request.emails.entries()) await tagging.take(address, { index });
  return tagging.finish();
}

export async function tagFromCsv(
  store: SubscriberStore,
  csv: Readable,
  { tag, action }: { tag: string; action: TagAction },
): Promise<BulkTagReport> {
  const tagging = new Tagging(store, tag, action);
  // Every record passes the counter, the first line too: it is a header only when it says so.
  const rowLines = lineCounter(0);
  // With `raw`, csv-parse hands on_record the cells and their text, and passes on what it returns;
  // its types know neither without `columns`.
  const reading: Options<ReadRow, { record: string[] }> = {
    ...CSV_READING,
    // Columns other than the address are ignored, so a row may have as many as it likes.
    relax_column_count: true,
    on_record: ({ record }, info) => ({ record, ...rowLines(info) }),
  };
  const parser = csv.pipe(parse(reading as unknown as Options));
  parser.on('skip', (err: SkippedRecord) => {
    const { rows: _, ...problem } = skippedRow(err, rowLines, 'tagged');
    tagging.fail(problem);
  });

  let column: number | undefined;
  for await (const { record, first, last } of parser as AsyncIterable<ReadRow>) {
    if (column === undefined) {
      column = addressColumn(record);
      if (column !== undefined) continue;
      column = 0;
    }
    await tagging.take(record[column] ?? '', { line: first }, (problem) => spanned(first, last, problem));
  }
  return tagging.finish();
}

/**
 * The column an `email` header names, in any case. undefined when the first line names none: then
 * the addresses are the first column, and the first line is one of them unless it is no address
 * (a header such as "Address,Name").
 */
function addressColumn(firstLine: string[]): number | undefined {
  refuseNotUtf8(firstLine);
  const columns = firstLine.map((cell) => cell.trim().toLowerCase());
  const named = columns.indexOf('email');
  if (named >= 0) return named;
  return Email.safeParse(firstLine[0] ?? '').success ? undefined : 0;
}

/** One request's addresses, gathered into batches and counted into its report. */
class Tagging {
  private readonly report: BulkTagReport;
  /**
   * The batch being gathered. An address is counted once a batch: one repeated further on than
   * that is looked up again (and found unchanged), which keeps memory flat for any file.
   */
  private batch = new Set<string>();

  constructor(
    private readonly store: SubscriberStore,
    tag: string,
    action: TagAction,
  ) {
    this.report = {
      tag,
      action,
      matched: 0,
      changed: 0,
      unchanged: 0,
      notFound: 0,
      duplicates: 0,
      failed: 0,
      errors: [],
    };
  }

  async take(address: string, place: Place, say = (problem: string) => problem): Promise<void> {
    const email = Email.safeParse(address);
    if (!email.success) {
      // An "address" longer than any address is not echoed: its place says which one it was.
      const shown = address.trim();
      return this.fail({
        ...place,
        ...(shown && shown.length <= MAX_EMAIL_LENGTH ? { email: shown } : {}),
        message: say(email.error.issues[0]!.message),
      });
    }
    if (this.batch.has(email.data)) {
      this.report.duplicates += 1;
      return;
    }
    this.batch.add(email.data);
    if (this.batch.size >= BATCH_SIZE) await this.flush();
  }

  fail(problem: BulkTagProblem): void {
    this.report.failed += problem.lastLine && problem.line ? problem.lastLine - problem.line + 1 : 1;
    if (this.report.errors.length < MAX_REPORTED_ERRORS) this.report.errors.push(problem);
  }

  async finish(): Promise<BulkTagReport> {
    await this.flush();
    // Skipped records are announced before the rows parsed ahead of them: put the report back in order.
    this.report.errors.sort((a, b) => (a.line ?? a.index ?? 0) - (b.line ?? b.index ?? 0));
    return this.report;
  }

  private async flush(): Promise<void> {
    const { changed, unchanged, notFound } = await this.store.tagBatch(
      [...this.batch],
      this.report.tag,
      this.report.action,
    );
    this.report.matched += changed + unchanged;
    this.report.changed += changed;
    this.report.unchanged += unchanged;
    this.report.notFound += notFound;
    this.batch = new Set();
  }
}

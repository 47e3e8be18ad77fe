// A CSV of subscribers as staff import it (email,name,language,topics,tags,city), generated a
// chunk at a time as the reader pulls it, never held whole: ~1% invalid addresses, and two
// duplicates per 10,000 rows (one in the same batch, one 2,500 rows back). `expected` is what a
// correct import reports for it, filled in as the rows are generated.
import { Readable } from 'node:stream';

/** Topic keys the rows name: both must exist before the import. */
export const CSV_TOPICS = ['weekly-bulletin', 'refugees'] as const;

export interface ExpectedReport {
  rows: number;
  created: number;
  merged: number;
  failed: number;
}

const CITIES = ['Tucson', 'Phoenix', 'Nogales', 'Yuma', 'Flagstaff'];

export function subscriberCsv(
  rows: number,
  domain: string,
): { stream: Readable; expected: ExpectedReport; bytes(): number } {
  const width = Math.max(6, String(rows).length);
  const emailOf = (i: number) => `person${String(i).padStart(width, '0')}@${domain}`;
  const expected: ExpectedReport = { rows, created: 0, merged: 0, failed: 0 };
  let bytes = 0;

  function* chunks(): Generator<Buffer> {
    let chunk = 'email,name,language,topics,tags,city\n';
    for (let i = 1; i <= rows; i++) {
      let email = emailOf(i);
      let n = i;
      if (i % 100 === 50) {
        // ~1% of the rows: an address that is not one.
        email = `person${String(i).padStart(width, '0')}.at.${domain}`;
        expected.failed += 1;
      } else if (i % 10_000 === 0) {
        // A few duplicates: the row before (most likely the same batch, merged in memory)…
        n = i - 1;
      } else if (i % 10_000 === 5000) {
        // …and one 2,500 rows back (an earlier batch, merged into the stored subscriber).
        n = i - 2500;
      }
      if (n !== i) {
        // The rows pointed back to (…9999, …2500) are neither invalid nor duplicates themselves.
        email = emailOf(n);
        expected.merged += 1;
      } else if (!email.includes('.at.')) {
        expected.created += 1;
      }
      const language = i % 2 ? 'es' : 'en';
      const topics = i % 3 ? CSV_TOPICS.join(';') : CSV_TOPICS[0];
      const tags = i % 7 ? 'volunteer' : 'volunteer;donor';
      chunk += `${email},Person ${i},${language},${topics},${tags},${CITIES[i % CITIES.length]}\n`;
      if (chunk.length >= 64 * 1024) {
        yield Buffer.from(chunk);
        chunk = '';
      }
    }
    if (chunk) yield Buffer.from(chunk);
  }

  const stream = Readable.from(
    (function* () {
      for (const buffer of chunks()) {
        bytes += buffer.length;
        yield buffer;
      }
    })(),
    { objectMode: false, highWaterMark: 64 * 1024 },
  );
  return { stream, expected, bytes: () => bytes };
}

/** Whether an import's report counts what `expected` says it should. */
export function reportMatches(report: ExpectedReport, expected: ExpectedReport): boolean {
  return (
    report.rows === expected.rows &&
    report.created === expected.created &&
    report.merged === expected.merged &&
    report.failed === expected.failed
  );
}

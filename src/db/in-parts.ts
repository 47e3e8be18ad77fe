// Cuts rows into statements small enough for either database's limit on bound values.

/**
 * Bound values one statement may carry here: under SQLite's limit (32,766) and PostgreSQL's
 * (65,535), whatever the database.
 */
const MAX_PARAMETERS = 30_000;

/** The rows in parts small enough for one statement of `perRow` bound values a row. */
export function inParts<T>(rows: readonly T[], perRow: number): T[][] {
  const size = Math.floor(MAX_PARAMETERS / perRow);
  const parts: T[][] = [];
  for (let i = 0; i < rows.length; i += size) parts.push(rows.slice(i, i + size));
  return parts;
}

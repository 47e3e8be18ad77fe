// The functions Pregón's SQL calls that SQLite lacks: registered on every SQLite connection
// (src/db/database.ts); PostgreSQL has them as SQL functions (migration 0003). Segment rules compare
// attributes as numbers through them, on both databases the same way.

/** A plain number: digits, an optional sign and decimals. Text attributes that read so compare as numbers. */
export const NUMERIC_TEXT = /^-?[0-9]+(\.[0-9]+)?$/;
/**
 * An attribute as a number, or null: a JSON number, or a text that reads as one. `type` is
 * SQLite's json_type() of the value ('integer', 'real', 'text', …) or JSON's own type name.
 */
export function attributeNumber(type: unknown, value: unknown): number | null {
  if (type === 'integer' || type === 'real' || type === 'number') return Number(value);
  if ((type === 'text' || type === 'string') && typeof value === 'string' && NUMERIC_TEXT.test(value))
    return Number(value);
  return null;
}

// A subscriber's attributes as rows the staff app edits (key, type, value as typed), and back to
// the JSON object the API stores. Dates are stored as `YYYY-MM-DD` texts: the audience rules
// compare them as days (src/audience/rule-sql.ts).
import {
  ATTRIBUTE_NAME_PATTERN,
  ATTRIBUTE_NAME_RULE,
  RESERVED_ATTRIBUTE_NAMES,
} from '../../audience/attribute-name-rule.js';
import type { Issue } from '../api.js';

export const ATTRIBUTE_TYPES = ['text', 'number', 'date'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/**
 * One attribute. `id` stays with the row while it is edited (React's key, the inputs' ids). A
 * value no type can edit (true, null, a list, an object: the API and imports accept any JSON) is
 * `kept` as it is, so saving other rows never loses it.
 */
export type AttributeRow = EditableRow | { id: number; key: string; type: 'kept'; value: unknown };
export type EditableRow = { id: number; key: string; type: AttributeType; value: string };

export type RowField = 'key' | 'value';

/** A row the form cannot save: its place (0-based), the input at fault and why. */
export interface RowProblem {
  row: number;
  field: RowField;
  message: string;
}

const DAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** A `YYYY-MM-DD` that names a day of the calendar (not 2025-02-30). */
function isDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** The type a stored value is edited as, or undefined when none fits. */
export function inferType(value: unknown): AttributeType | undefined {
  if (typeof value === 'number') return 'number';
  if (typeof value !== 'string') return undefined;
  return isDay(value) ? 'date' : 'text';
}

export function toRows(attributes: Record<string, unknown>): AttributeRow[] {
  return Object.entries(attributes).map(([key, value], index): AttributeRow => {
    const type = inferType(value);
    const id = index + 1;
    return type ? { id, key, type, value: String(value) } : { id, key, type: 'kept', value };
  });
}

export function newRow(rows: AttributeRow[]): AttributeRow {
  return { id: Math.max(0, ...rows.map((r) => r.id)) + 1, key: '', type: 'text', value: '' };
}

/** The row as another type: the value stays when it still reads as one (a text "42" as a number). */
export function retype(row: EditableRow, type: AttributeType): EditableRow {
  const fits = type === 'text' || (type === 'number' ? readNumber(row.value) !== undefined : isDay(row.value));
  return { ...row, type, value: fits ? row.value : '' };
}

function readNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

/** The rows as the API's object, or every problem that stops them being one. */
export function toAttributes(
  rows: AttributeRow[],
): { attributes: Record<string, unknown>; problems: [] } | { attributes?: undefined; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const firstWithKey = new Map<string, number>();
  const entries = rows.map((row, index): [string, unknown] => {
    const keyProblem = problemWithKey(row.key, firstWithKey.get(row.key));
    if (keyProblem) problems.push({ row: index, field: 'key', message: keyProblem });
    if (!firstWithKey.has(row.key)) firstWithKey.set(row.key, index);
    if (row.type === 'kept' || row.type === 'text') return [row.key, row.value];
    if (row.type === 'number') {
      const number = readNumber(row.value);
      if (number === undefined) problems.push({ row: index, field: 'value', message: 'must be a number' });
      return [row.key, number];
    }
    if (!isDay(row.value)) problems.push({ row: index, field: 'value', message: 'must be a date' });
    return [row.key, row.value];
  });
  // fromEntries makes plain own properties, whatever the key.
  return problems.length ? { problems } : { attributes: Object.fromEntries(entries), problems: [] };
}

function problemWithKey(key: string, earlier: number | undefined): string | undefined {
  if (key.trim() === '') return 'must not be empty';
  if (earlier !== undefined) return `is already the key of attribute ${earlier + 1}`;
  if (RESERVED_ATTRIBUTE_NAMES.includes(key)) return 'is a reserved name';
  if (!ATTRIBUTE_NAME_PATTERN.test(key)) return ATTRIBUTE_NAME_RULE;
  return undefined;
}

/**
 * The server's messages about the attributes ("attributes.city: …"), each given to the row of
 * that key; those about the attributes as a whole, or a key no row has now, are left for the field.
 */
export function issuesByRow(
  issues: Issue[],
  rows: AttributeRow[],
): { byRow: Map<number, string[]>; unplaced: Issue[] } {
  const byRow = new Map<number, string[]>();
  const unplaced: Issue[] = [];
  for (const issue of issues) {
    if (issue.path === 'attributes') unplaced.push(issue);
    if (!issue.path.startsWith('attributes.')) continue;
    const rest = issue.path.slice('attributes.'.length);
    // A key may itself hold dots: the longest key the path starts with is the one named.
    const matches = rows
      .map((row, index) => ({ row, index }))
      .filter(({ row }) => rest === row.key || rest.startsWith(`${row.key}.`) || rest.startsWith(`${row.key}[`))
      .sort((a, b) => b.row.key.length - a.row.key.length);
    const match = matches[0];
    if (!match) {
      unplaced.push(issue);
      continue;
    }
    const inside = rest.slice(match.row.key.length);
    byRow.set(match.index, [...(byRow.get(match.index) ?? []), inside ? `${inside}: ${issue.message}` : issue.message]);
  }
  return { byRow, unplaced };
}

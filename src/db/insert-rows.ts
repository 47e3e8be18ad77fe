// Writes many rows in one statement of the same few bound values, whatever their number: on SQLite
// the rows travel as one JSON array, read as a table by json_each; on PostgreSQL as one typed array
// a column, read side by side by unnest. A multi-row VALUES of 2,000 rows binds 16,000 values and
// is a new statement each time: SQLite compiled each one anew and PostgreSQL planned them, at more
// than the cost of writing the rows (docs/performance.md, CSV import).
import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * How a column's value is written: `json` is a JSON text (as stored on SQLite, read into jsonb on
 * PostgreSQL), `timestamp` an ISO-8601 text (a timestamptz on PostgreSQL).
 */
export type ColumnType = 'text' | 'integer' | 'timestamp' | 'json';

const PG_TYPES: Record<ColumnType, string> = {
  text: 'text',
  integer: 'integer',
  timestamp: 'timestamptz',
  json: 'jsonb',
};

export interface InsertRowsOptions<R extends string> {
  /** `on conflict do nothing`: rows that would break a unique key are left out. */
  ignoreConflicts?: boolean;
  /** The columns of the rows written to return, or all of them (`*`). */
  returning?: readonly R[] | '*';
}

/**
 * `insert into table (…) select … from <rows>`: `columns` names each column and its type; every
 * row has a value (or null) for each. Runs in `db`, a transaction or not. Returns the written rows'
 * `returning` columns, in no particular order.
 */
export async function insertRows<Row extends Record<string, unknown>, R extends string = never>(
  // biome-ignore lint/suspicious/noExplicitAny: any schema's database or transaction
  db: Kysely<any>,
  table: string,
  columns: { readonly [K in keyof Row & string]: ColumnType },
  rows: readonly Row[],
  options: InsertRowsOptions<R> = {},
): Promise<Record<R, unknown>[]> {
  if (rows.length === 0) return [];
  const names = Object.keys(columns) as (keyof Row & string)[];
  const list = sql.join(names.map((name) => sql.ref(name)));
  const returning =
    options.returning === '*'
      ? sql` returning *`
      : options.returning?.length
        ? sql` returning ${sql.join(options.returning.map((c) => sql.ref(c)))}`
        : sql``;
  const source = isPostgres(db) ? postgresRows(columns, rows) : sqliteRows(names, rows);
  const onConflict = options.ignoreConflicts ? sql` on conflict do nothing` : sql``;
  // SQLite needs the WHERE to read `on conflict` as the upsert clause, not as a join's.
  const statement = sql<Record<R, unknown>>`insert into ${sql.table(table)} (${list})
    select ${list} from ${source} where true${onConflict}${returning}`;
  return (await statement.execute(db)).rows;
}

// biome-ignore lint/suspicious/noExplicitAny: any schema's database or transaction
const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * PostgreSQL: one typed array a column, read side by side by `unnest`. The server parses an array
 * of integers or timestamps straight into values, with none of the JSON a row costs to read and cast.
 */
function postgresRows(
  columns: Readonly<Record<string, ColumnType>>,
  rows: readonly Record<string, unknown>[],
): RawBuilder<unknown> {
  const typed = Object.entries(columns);
  const arrays = typed.map(([name, type]) => {
    const values = rows.map((row) => row[name] ?? null);
    return sql`${values}::${sql.raw(PG_TYPES[type])}[]`;
  });
  return sql`unnest(${sql.join(arrays)}) as batch(${sql.join(typed.map(([name]) => sql.ref(name)))})`;
}

/** SQLite: the rows as one JSON array of arrays (a third the size of objects with names), read by json_each. */
function sqliteRows(names: readonly string[], rows: readonly Record<string, unknown>[]): RawBuilder<unknown> {
  const json = JSON.stringify(rows.map((row) => names.map((name) => row[name] ?? null)));
  const cells = names.map((name, i) => sql`r.value ->> ${sql.lit(i)} as ${sql.ref(name)}`);
  return sql`(select ${sql.join(cells)} from json_each(${json}) as r) as batch`;
}

/**
 * A list of values as a subquery of one bound value, for `where column in (…)`: the same statement
 * for any number of them, where an IN list of 2,000 binds 2,000 values.
 */
// biome-ignore lint/suspicious/noExplicitAny: any schema's database or transaction
export function valueList<T extends string | number>(db: Kysely<any>, values: readonly T[]): RawBuilder<T> {
  const json = JSON.stringify(values);
  return isPostgres(db)
    ? sql`(select value from json_array_elements_text(${json}::json) as v(value))`
    : sql`(select value from json_each(${json}))`;
}

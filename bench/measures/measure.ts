// What every measure of `npm run bench` is: a function that makes its own data, measures, cleans
// up and returns its figures under the JSON keys of docs/performance.md.

export interface BenchContext {
  /** Multiplies every size (1 = the default sizes, a few minutes on 2 cores; 0.01 for the test). */
  scale: number;
  /** A line of progress, on stderr (stdout carries the table or the JSON). */
  log(line: string): void;
}

export type Figures = Record<string, number>;

export type Measure = (context: BenchContext) => Promise<Figures>;

/** A size scaled, never below `min`. */
export function scaled(context: BenchContext, size: number, min = 10): number {
  return Math.max(min, Math.round(size * context.scale));
}

/**
 * A size scaled up to `max` at most, never below `min`: for what measures a rate or a fixed cost
 * (a send at the account's pace, an upload, a window of time), which a longer list does not change.
 */
export function scaledUpTo(context: BenchContext, size: number, max: number, min = 10): number {
  return Math.min(max, scaled(context, size, min));
}

// How much slower than the account's rate a worker sends for now. A 429 from SES says the pace is
// too fast at the moment (another sender on the account, a lowered quota), whatever the account's
// MaxSendRate: each batch that met one doubles the gap between batches, up to MAX_SLOWDOWN, and
// each batch that met none takes a step back toward the configured pace. A pure class.

/** The slowest a worker goes: an eighth of the account's rate. */
export const MAX_SLOWDOWN = 8;
/** What one batch without a 429 takes off the slowdown: 14 clean batches from the slowest back to full pace. */
const RECOVERY_STEP = 0.5;

export class AdaptivePace {
  private current = 1;

  /** `gapMs`: the time between two batches at the configured rate (the limiter's duration). */
  constructor(private readonly gapMs: number) {}

  /** 1 at the configured pace, up to MAX_SLOWDOWN. */
  get slowdown(): number {
    return this.current;
  }

  /** The time to leave before the next batch. */
  get batchGapMs(): number {
    return Math.round(this.gapMs * this.current);
  }

  /** Records whether a batch was throttled; returns the slowdown now. */
  record(throttled: boolean): number {
    this.current = throttled ? Math.min(MAX_SLOWDOWN, this.current * 2) : Math.max(1, this.current - RECOVERY_STEP);
    return this.current;
  }
}

// A count of things allowed per hour (test copies), kept in Redis so that every web process shares
// it: the hour starts with the first thing counted, and the count goes with it.
import { countInWindow, type RedisClient } from '../redis.js';

const HOUR_MS = 3_600_000;

export class HourlyAllowance {
  constructor(
    private readonly redis: RedisClient,
    /** The Redis key, e.g. `pregon:test-copies`. */
    private readonly key: string,
    readonly limit: number,
  ) {}

  /**
   * Takes `count` from the hour's allowance. When that would pass the limit nothing is taken, and
   * the answer says in how many milliseconds the hour ends.
   */
  async take(count: number): Promise<{ taken: true } | { taken: false; retryAfterMs: number }> {
    const { count: used, msLeft } = await countInWindow(this.redis, this.key, HOUR_MS, count);
    if (used <= this.limit) return { taken: true };
    await this.redis.decrby(this.key, count);
    return { taken: false, retryAfterMs: msLeft };
  }
}

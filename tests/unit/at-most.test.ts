import { describe, expect, it } from 'vitest';
import { atMost } from '../../src/sending/at-most.js';

describe('atMost', () => {
  it('runs at most `limit` at once and gives the results in the items’ order', async () => {
    let running = 0;
    let most = 0;
    const items = Array.from({ length: 23 }, (_, i) => i);
    const results = await atMost(items, 4, async (item) => {
      running += 1;
      most = Math.max(most, running);
      // Later items finish first: the order must come from the items, not from finishing.
      await new Promise((resolve) => setTimeout(resolve, (23 - item) % 5));
      running -= 1;
      return item * 10;
    });
    expect(results).toEqual(items.map((i) => i * 10));
    expect(most).toBe(4);
  });

  it('runs fewer lanes than the limit for fewer items, and none for none', async () => {
    let calls = 0;
    expect(await atMost([], 10, async () => ++calls)).toEqual([]);
    expect(await atMost(['a', 'b'], 10, async (item) => item.toUpperCase())).toEqual(['A', 'B']);
    expect(calls).toBe(0);
  });
});

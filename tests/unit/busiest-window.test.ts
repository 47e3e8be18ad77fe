import { describe, expect, it } from 'vitest';
import { busiestWindow } from '../../bench/support/busiest-window.js';

describe('busiestWindow', () => {
  it('counts the most events in any window, wherever it starts', () => {
    expect(busiestWindow([0, 100, 900, 1000, 1050, 1900], 1000)).toBe(4);
  });

  it('leaves out an event exactly one window after the first', () => {
    expect(busiestWindow([0, 1000], 1000)).toBe(1);
  });

  it('is the whole send when it is shorter than a window, and none without events', () => {
    expect(busiestWindow([5, 6, 7], 10_000)).toBe(3);
    expect(busiestWindow([], 10_000)).toBe(0);
  });
});

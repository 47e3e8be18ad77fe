// How an account's rate is judged over a while: the most events in any window of a given length.

/** The most arrivals in any `windowMs` (sliding: each window starts at an arrival). `times` is sorted. */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  let end = 0;
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && times[end]! < times[start]! + windowMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

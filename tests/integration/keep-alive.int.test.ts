// A test process that stalls (a big JSON.parse on a loaded machine, the worker's rendering beside
// it) must not lose its next request to a keep-alive connection the test app closes meanwhile:
// the flake once seen as `fetch failed … ECONNRESET` on a one-click unsubscribe POST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** Blocks the event loop, as a starved process does, without burning the CPU others share. */
function stall(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('keep-alive connections to the test app', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('sqlite');
  });
  afterAll(() => app.close());

  it("still carry a request sent at once after the process stalled longer than Node's keep-alive timeout", async () => {
    expect((await (await app.request('GET', '/api/topics')).json()).data).toEqual([]);
    // The response is settled on both sides (the server's idle timer runs), then the process
    // stalls longer than Node's default keepAliveTimeout (5 s) and the second Node allows past it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    stall(6_500);
    const res = await fetch(`${app.baseUrl}/unsubscribe/not-a-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(400);
  }, 20_000);
});

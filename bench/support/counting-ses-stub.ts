// The stub SES of ses-stub.ts that also counts what it received: SendEmail requests per recipient
// and when each arrived, read back with received(). Its own process, as the plain stub: reading
// each body costs it a little CPU, which is why the plain stub stays the one the pipeline's
// figures are measured against.
import { spawn } from 'node:child_process';
import type { SesStub } from './ses-stub.js';

// GET /received answers the counts; DELETE /received forgets them. Any other request is a send:
// its first ToAddresses (SendEmail has one) is counted, and answered at once with a message id.
const STUB = `
const counts = new Map();
let times = [];
require('http').createServer((q, s) => {
  const chunks = [];
  q.on('data', (c) => chunks.push(c));
  q.on('end', () => {
    if (q.url === '/received') {
      if (q.method === 'DELETE') { counts.clear(); times = []; s.end('{}'); return; }
      const repeated = [...counts].filter(([, n]) => n !== 1).slice(0, 20);
      s.end(JSON.stringify({ requests: times.length, recipients: counts.size, repeated, times }));
      return;
    }
    const to = /"ToAddresses":\\["((?:[^"\\\\]|\\\\.)*)"/.exec(Buffer.concat(chunks).toString());
    // A copy of the address: the match is a slice of the whole 40 KB body, which it would keep alive.
    if (to) {
      const address = Buffer.from(to[1]).toString();
      counts.set(address, (counts.get(address) || 0) + 1);
      times.push(Date.now());
    }
    s.writeHead(200, { 'content-type': 'application/json' });
    s.end(JSON.stringify({ MessageId: String(Math.random()) }));
  });
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

export interface Received {
  /** SendEmail requests with a recipient. */
  requests: number;
  /** Distinct recipients among them. */
  recipients: number;
  /** Up to 20 recipients received other than once, with their counts. */
  repeated: [string, number][];
  /** When each request arrived (ms since the epoch, the stub's clock), in order. */
  times: number[];
}

export interface CountingSesStub extends SesStub {
  received(): Promise<Received>;
  /** Forgets what was received so far. */
  reset(): Promise<void>;
}

export async function startCountingSesStub(): Promise<CountingSesStub> {
  const child = spawn(process.execPath, ['-e', STUB], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    close: () => child.kill(),
    received: async () => (await fetch(`${url}/received`)).json() as Promise<Received>,
    reset: async () => {
      await (await fetch(`${url}/received`, { method: 'DELETE' })).arrayBuffer();
    },
  };
}

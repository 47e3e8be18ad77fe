// The hostile client of the abuse bench (bench/measures/abuse.ts), in a process of its own so
// that its work never delays the client that measures. From one address, on CONNECTIONS
// connections at once, as fast as answers come, it sends the security review's requests in
// turn: a kilobyte of gzip that inflates to a megabyte of JSON, a plain megabyte of JSON, to a
// route that needs authentication and to sign-in, and variants of the subscribe form. It tells
// its parent over IPC when it starts, and, asked to stop, what it sent.
//   node --import tsx bench/support/abuser.ts <base URL>
import { gzipSync } from 'node:zlib';

/** The review's eight parallel requests. */
const CONNECTIONS = 8;

/** 1,020,000 bytes of JSON: JSON.stringify([1] * 340,000); as bytes, so that no request spends time encoding it. */
const ONES = new TextEncoder().encode(JSON.stringify(Array(340_000).fill(1)));
const GZIPPED_ONES = new Uint8Array(gzipSync(ONES, { level: 9 }));
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

type Hostile = (n: number) => {
  path: string;
  type: string;
  encoding?: string;
  auth?: string;
  body: Uint8Array<ArrayBuffer> | string;
};

const form = (n: number, extra = '') => `email=victim%2B${n}%40example.org&language=en${extra}`;

/** Each request in turn; n counts the requests, so each address variant is new. */
const HOSTILE: Hostile[] = [
  () => ({ path: '/api/nothing', type: JSON_TYPE, encoding: 'gzip', body: GZIPPED_ONES }),
  () => ({ path: '/api/session', type: JSON_TYPE, encoding: 'gzip', body: GZIPPED_ONES }),
  () => ({ path: '/api/topics', type: JSON_TYPE, auth: 'Bearer pregon_0_not-a-token', body: ONES }),
  () => ({ path: '/api/nothing', type: JSON_TYPE, body: ONES }),
  () => ({ path: '/api/session', type: JSON_TYPE, body: ONES }),
  (n) => ({ path: '/subscribe', type: FORM_TYPE, body: form(n) }),
  (n) => ({ path: '/subscribe', type: FORM_TYPE, encoding: 'gzip', body: new Uint8Array(gzipSync(form(n))) }),
  (n) => ({ path: '/subscribe', type: FORM_TYPE, body: form(n, `&name=${'a'.repeat(9000)}`) }),
  (n) => ({ path: '/subscribe', type: FORM_TYPE, body: form(n, '&name=%00') }),
];

const baseUrl = process.argv[2];
if (!baseUrl || !process.send) throw new Error('Run by bench/measures/abuse.ts, with the base URL');

let statuses: Record<string, number> = {};
let stopping = false;
process.once('message', () => {
  stopping = true;
});

/** Sends the n-th hostile request and counts its answer. */
async function send(n: number): Promise<void> {
  const { path, type, encoding, auth, body } = HOSTILE[n % HOSTILE.length]!(n);
  const headers: Record<string, string> = { 'content-type': type };
  if (encoding) headers['content-encoding'] = encoding;
  if (auth) headers.authorization = auth;
  let answer: string;
  try {
    const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body });
    await res.arrayBuffer();
    answer = String(res.status);
  } catch {
    answer = 'connection error';
  }
  statuses[answer] = (statuses[answer] ?? 0) + 1;
}

// One of each first, one at a time: what the app loads on a first request is not what is measured.
for (const n of HOSTILE.keys()) await send(n);
statuses = {};
process.send({ sending: true });
let sent = HOSTILE.length;
const started = performance.now();
const cpu = process.cpuUsage();
await Promise.all(
  Array.from({ length: CONNECTIONS }, async () => {
    while (!stopping) await send(sent++);
  }),
);
const { user, system } = process.cpuUsage(cpu);
const report = { sent: sent - HOSTILE.length, seconds: (performance.now() - started) / 1000, statuses };
process.send({ ...report, cpuSeconds: (user + system) / 1e6 }, () => process.exit(0));

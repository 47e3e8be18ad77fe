// Starts aws-ses-v2-local in this process, on loopback, so `npm start` sends somewhere real and
// the mail can be read: in Pregón's own viewer (/admin/mail, which reads it from here) or in the
// emulator's.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesLocal from 'aws-ses-v2-local';
import { z } from 'zod';
import type { Mailbox, ReceivedMail } from './mail-viewer.js';

export interface SesEmulator extends Mailbox {
  /** Endpoint for the SES client and, opened in a browser, the emulator's own inbox viewer. */
  url: string;
  close(): Promise<void>;
}

/** What the emulator's GET /store answers, as far as the viewer reads it. */
const Store = z.object({
  emails: z.array(
    z.object({
      messageId: z.string(),
      from: z.string(),
      destination: z.object({ to: z.array(z.string()) }),
      subject: z.string(),
      body: z.object({ html: z.string().optional(), text: z.string().optional() }),
      /** Seconds since the epoch. */
      at: z.number(),
    }),
  ),
});

// The package is CommonJS with `exports.default`: Node's ESM loader gives it one level down,
// Vite's (in the tests) gives it directly.
type Start = typeof sesLocal.default;
const startServer: Start = typeof sesLocal === 'function' ? (sesLocal as unknown as Start) : sesLocal.default;

/** Listens on `port`, or on any free port when that one is taken (a second `npm start`, a test). */
export async function startSesEmulator(port: number): Promise<SesEmulator> {
  const server = await startServer({ host: '127.0.0.1', port }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE') throw err;
    return startServer({ host: '127.0.0.1', port: 0 });
  });
  // Its clients (the SES client, the tests' fetch) share its process: after a stall they could
  // write on a connection it closes meanwhile (ECONNRESET). Only they close idle connections.
  server.keepAliveTimeout = 0;
  const { port: actual } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${actual}`;
  return { url, mails: () => readStore(url), close: () => closeServer(server) };
}

/**
 * Through its HTTP store rather than its module: the store is module state, shared by every
 * emulator in the process, and only /store is the package's public way to read it.
 */
async function readStore(url: string): Promise<ReceivedMail[]> {
  const res = await fetch(`${url}/store`);
  if (!res.ok) throw new Error(`the SES emulator's store answered ${res.status}`);
  const { emails } = Store.parse(await res.json());
  return emails.map((m) => ({
    id: m.messageId,
    from: m.from,
    to: m.destination.to,
    subject: m.subject,
    html: m.body.html,
    text: m.body.text,
    receivedAt: new Date(m.at * 1000),
  }));
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}

// Starts aws-ses-v2-local in this process, on loopback, so `npm start` sends somewhere real and
// the mail can be read in its web viewer.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesLocal from 'aws-ses-v2-local';

export interface SesEmulator {
  /** Endpoint for the SES client and, opened in a browser, the inbox viewer. */
  url: string;
  close(): Promise<void>;
}

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
  return { url: `http://127.0.0.1:${actual}`, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}

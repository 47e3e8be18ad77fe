// Fetching an SNS signing certificate from a scripted server of our own: a certificate is read,
// anything else refused, and a body past 64 KB is not read to its end (the connection is dropped).
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCertificate, httpsCertificateFetcher } from '../../src/events/routes.js';
import { SnsSigner } from '../support/sns-signer.js';

/** What the server would send of a huge body: far more than any certificate. */
const HUGE = 200 * 1024 * 1024;

describe('fetching an SNS signing certificate', () => {
  let server: Server;
  let baseUrl: string;
  let signer: SnsSigner;
  /** Per path, how much of the body the server wrote, whether it got to the end, and when the response closed. */
  const sent = new Map<string, { written: number; finished: boolean; closed: Promise<unknown> }>();

  /** Writes `total` bytes of a PEM-looking body as fast as the client reads, until it goes away. */
  const stream = (path: string, res: ServerResponse, total: number) => {
    const progress = { written: 0, finished: false, closed: new Promise((resolve) => res.once('close', resolve)) };
    sent.set(path, progress);
    const chunk = Buffer.alloc(64 * 1024, 'A');
    res.write('-----BEGIN CERTIFICATE-----\n');
    const more = () => {
      while (progress.written < total && !res.destroyed) {
        progress.written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      if (!res.destroyed) {
        progress.finished = true;
        res.end();
      }
    };
    more();
  };

  beforeAll(async () => {
    signer = new SnsSigner();
    server = createServer((req, res) => {
      const path = req.url ?? '';
      if (path === '/cert.pem') res.end(signer.certificatePem);
      else if (path === '/page.pem') res.end('<html>not a certificate</html>');
      else if (path === '/endless.pem') stream(path, res, HUGE);
      else if (path === '/declared.pem') {
        res.setHeader('content-length', String(HUGE));
        stream(path, res, HUGE);
      } else {
        res.statusCode = 404;
        res.end('no');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads a certificate, and refuses a page that is not one or an error', async () => {
    expect(await fetchCertificate(`${baseUrl}/cert.pem`)).toBe(signer.certificatePem);
    await expect(fetchCertificate(`${baseUrl}/page.pem`)).rejects.toThrow(/something other than a certificate/);
    await expect(fetchCertificate(`${baseUrl}/missing.pem`)).rejects.toThrow(/answered 404/);
  });

  it('stops reading a body past 64 KB, declared or not, and drops the connection', async () => {
    for (const path of ['/endless.pem', '/declared.pem']) {
      await expect(fetchCertificate(`${baseUrl}${path}`), path).rejects.toThrow(/something other than a certificate/);
      await sent.get(path)!.closed;
      expect(sent.get(path)!.finished, path).toBe(false);
      expect(sent.get(path)!.written, path).toBeLessThan(HUGE / 4);
    }
  });

  it('in production, fetches only from SNS over https', async () => {
    for (const url of [`${baseUrl}/cert.pem`, 'https://sns.s3.amazonaws.com/SimpleNotificationService-1.pem'])
      await expect(httpsCertificateFetcher(url), url).rejects.toThrow(/Not an SNS certificate URL/);
  });
});

// POST /webhooks/ses, where SNS delivers SES events, and the HTTPS calls production makes to SNS
// (certificates, subscription confirmations). Tests pass their own in place of the latter.
import express from 'express';
import { textBody } from '../http/storable-input.js';
import type { SesEvents } from './ses-events.js';
import { isSnsEndpoint } from './sns-signature.js';

const SNS_TIMEOUT_MS = 5_000;
/** An SNS signing certificate is about 2 kB; anything much larger is not one, and is not read further. */
const MAX_CERTIFICATE_BYTES = 64 * 1024;

export function sesWebhookRouter(events: SesEvents): express.Router {
  const router = express.Router();
  // SNS posts JSON as text/plain (and other senders vary), so every body is read as text; an SNS
  // message is at most 256 KB.
  router.post('/webhooks/ses', textBody({ limit: '256kb' }), async (req: express.Request, res: express.Response) => {
    const { status, outcome } = await events.receive(typeof req.body === 'string' ? req.body : '');
    res.status(status).json({ outcome });
  });
  return router;
}

/**
 * Fetches a signing certificate (PEM) from SNS; refuses any URL outside SNS (the webhook has
 * already pinned it to the topic's region).
 */
export async function httpsCertificateFetcher(url: string): Promise<string> {
  if (!isSnsEndpoint(url)) throw new Error(`Not an SNS certificate URL: ${url}`);
  return fetchCertificate(url);
}

/** Fetches a PEM certificate, reading no more than MAX_CERTIFICATE_BYTES of the answer. */
export async function fetchCertificate(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(SNS_TIMEOUT_MS), redirect: 'error' });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`SNS answered ${res.status} for the certificate ${url}`);
  }
  const pem = await readAtMost(res, MAX_CERTIFICATE_BYTES);
  if (pem === undefined || !pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`SNS sent something other than a certificate from ${url}`);
  }
  return pem;
}

/** The body as text, or undefined (and the rest left unread) once it is longer than `limit` bytes. */
async function readAtMost(res: Response, limit: number): Promise<string | undefined> {
  if (!res.body) return '';
  if (Number(res.headers.get('content-length') ?? 0) > limit) {
    await res.body.cancel();
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of res.body) {
    length += chunk.length;
    // Leaving the loop cancels the stream, which closes the connection.
    if (length > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Confirms a subscription by visiting its SubscribeURL, as SNS asks; refuses any URL outside SNS. */
export async function httpsSubscriptionConfirmer(subscribeUrl: string): Promise<void> {
  if (!isSnsEndpoint(subscribeUrl)) throw new Error('Not an SNS SubscribeURL');
  const res = await fetch(subscribeUrl, { signal: AbortSignal.timeout(SNS_TIMEOUT_MS), redirect: 'error' });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`SNS answered ${res.status} to the subscription confirmation`);
}

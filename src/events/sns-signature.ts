// SNS message signatures (pure: the certificate is fetched by the caller). The string AWS signs,
// the check of the signature against the signing certificate, and which URLs may be trusted.
import { X509Certificate, createVerify } from 'node:crypto';
import { z } from 'zod';

/** What SNS POSTs to an HTTP(S) subscription: a notification or a (un)subscribe confirmation. */
export const snsEnvelopeSchema = z.discriminatedUnion('Type', [
  z.object({
    Type: z.literal('Notification'),
    MessageId: z.string().min(1),
    TopicArn: z.string().min(1),
    // SNS leaves Subject out when the publisher set none; some senders write null.
    Subject: z.string().nullish(),
    Message: z.string(),
    Timestamp: z.string().min(1),
    SignatureVersion: z.enum(['1', '2']),
    Signature: z.string().min(1),
    SigningCertURL: z.string().min(1),
    UnsubscribeURL: z.string().optional(),
  }),
  z.object({
    Type: z.enum(['SubscriptionConfirmation', 'UnsubscribeConfirmation']),
    MessageId: z.string().min(1),
    TopicArn: z.string().min(1),
    Message: z.string(),
    Token: z.string().min(1),
    SubscribeURL: z.string().min(1),
    Timestamp: z.string().min(1),
    SignatureVersion: z.enum(['1', '2']),
    Signature: z.string().min(1),
    SigningCertURL: z.string().min(1),
  }),
]);
export type SnsEnvelope = z.infer<typeof snsEnvelopeSchema>;
/** A SubscriptionConfirmation or UnsubscribeConfirmation. */
export type SnsConfirmation = Extract<SnsEnvelope, { SubscribeURL: string }>;

/** The keys SNS signs, in the order it signs them, for each message type. */
const SIGNED_KEYS = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
} as const;

/** Each signed key, then its value, each on its own line; an absent Subject is left out. */
export function stringToSign(message: SnsEnvelope): string {
  const values = message as Record<string, unknown>;
  let out = '';
  for (const key of SIGNED_KEYS[message.Type]) {
    const value = values[key];
    if (typeof value !== 'string') continue;
    out += `${key}\n${value}\n`;
  }
  return out;
}

/** Whether the message was signed with the key of this certificate (PEM). Never throws. */
export function verifySnsSignature(message: SnsEnvelope, certificatePem: string): boolean {
  try {
    const publicKey = new X509Certificate(certificatePem).publicKey;
    return createVerify(message.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256')
      .update(stringToSign(message), 'utf8')
      .verify(publicKey, message.Signature, 'base64');
  } catch {
    // An unreadable certificate or signature is as good as a wrong one.
    return false;
  }
}

const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** An https URL on an SNS regional endpoint: where certificates and subscribe links live. */
export function isSnsUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.port === '' &&
    !parsed.username &&
    !parsed.password &&
    SNS_HOST.test(parsed.hostname)
  );
}

/** A signing certificate may only come from SNS itself, or anyone could sign for it. */
export function isTrustedCertUrl(url: string): boolean {
  return isSnsUrl(url) && new URL(url).pathname.endsWith('.pem');
}

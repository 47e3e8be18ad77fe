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

/** An AWS region's name: `us-east-1`, `us-gov-west-1`, `cn-north-1`… (never `s3` or `s3-external-1`). */
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d+';
/** SNS's own regional endpoints; AWS's validator also accepts S3-style hosts such as `sns.s3.amazonaws.com`. */
const SNS_HOST = new RegExp(`^sns\\.${REGION}\\.amazonaws\\.com(\\.cn)?$`);
const TOPIC_ARN = new RegExp(`^arn:(aws|aws-cn|aws-us-gov):sns:(${REGION}):\\d+:[^:]+$`);

/** An https URL on an SNS regional endpoint, of any region: what a certificate fetch or a confirmation may visit. */
export function isSnsEndpoint(url: string): boolean {
  return snsUrlHost(url) !== undefined;
}

/**
 * An https URL on the SNS endpoint of the topic's own region (`sns.<region>.amazonaws.com`, `.cn`
 * in China): where SNS keeps the certificates that sign the topic's messages and its subscribe links.
 */
export function isSnsUrl(url: string, topicArn: string): boolean {
  const host = snsUrlHost(url);
  return host !== undefined && host === snsHostOf(topicArn);
}

/** A signing certificate may only come from SNS itself, in the topic's region, or anyone could sign for it. */
export function isTrustedCertUrl(url: string, topicArn: string): boolean {
  return isSnsUrl(url, topicArn) && new URL(url).pathname.endsWith('.pem');
}

/** The SNS endpoint of a topic's region, or undefined for anything that is not an SNS topic ARN. */
function snsHostOf(topicArn: string): string | undefined {
  const match = TOPIC_ARN.exec(topicArn);
  if (!match) return undefined;
  const [, partition, region] = match;
  return `sns.${region}.amazonaws.com${partition === 'aws-cn' ? '.cn' : ''}`;
}

/** The host of an https URL on an SNS endpoint, with no port and no user; undefined for any other URL. */
function snsUrlHost(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const plain = parsed.protocol === 'https:' && parsed.port === '' && !parsed.username && !parsed.password;
  return plain && SNS_HOST.test(parsed.hostname) ? parsed.hostname : undefined;
}

// Signs SNS messages as SNS does, with an RSA key and a self-signed certificate made by the
// `openssl` command at test time; its fetcher serves that certificate at an SNS-looking URL, so
// nothing goes to the network.
import { execFileSync } from 'node:child_process';
import { createSign, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringToSign, type SnsEnvelope } from '../../src/events/sns-signature.js';

export const TEST_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:pregon-ses-events';
export const TEST_CERT_URL = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem';

type Version = SnsEnvelope['SignatureVersion'];
type Unsigned<T> = T extends unknown ? Omit<T, 'Signature' | 'SignatureVersion' | 'SigningCertURL'> : never;

export class SnsSigner {
  readonly certificatePem: string;
  private readonly privateKeyPem: string;
  /** Every URL the fetcher was asked for, in order. */
  readonly fetched: string[] = [];

  constructor(readonly certUrl = TEST_CERT_URL) {
    const dir = mkdtempSync(join(tmpdir(), 'pregon-sns-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          'key.pem',
          '-out',
          'cert.pem',
          '-days',
          '2',
          '-subj',
          '/CN=sns.amazonaws.com',
        ],
        { cwd: dir, stdio: 'pipe' },
      );
      this.privateKeyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
      this.certificatePem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Serves this signer's certificate at its URL, as SNS would; any other URL fails. */
  fetchCertificate = async (url: string): Promise<string> => {
    this.fetched.push(url);
    if (url !== this.certUrl) throw new Error(`no certificate at ${url}`);
    return this.certificatePem;
  };

  sign<T extends Unsigned<SnsEnvelope>>(
    message: T,
    version: Version = '1',
    certUrl = this.certUrl,
  ): T & { SignatureVersion: Version; Signature: string; SigningCertURL: string } {
    const unsigned = { ...message, SignatureVersion: version, Signature: '', SigningCertURL: certUrl };
    const signature = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256')
      .update(stringToSign(unsigned as unknown as SnsEnvelope), 'utf8')
      .sign(this.privateKeyPem, 'base64');
    return { ...unsigned, Signature: signature };
  }

  /** A signed Notification carrying `message` (an SES event, as JSON text). */
  notification(
    message: string,
    options: {
      topicArn?: string;
      subject?: string;
      version?: Version;
      certUrl?: string;
      messageId?: string;
      /** When SNS says it published the message; now when left out. */
      timestamp?: string;
    } = {},
  ) {
    return this.sign(
      {
        Type: 'Notification' as const,
        MessageId: options.messageId ?? randomUUID(),
        TopicArn: options.topicArn ?? TEST_TOPIC_ARN,
        ...(options.subject !== undefined ? { Subject: options.subject } : {}),
        Message: message,
        Timestamp: options.timestamp ?? new Date().toISOString(),
        UnsubscribeURL:
          'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe' +
          `&SubscriptionArn=${TEST_TOPIC_ARN}:${randomUUID()}`,
      },
      options.version,
      options.certUrl,
    );
  }

  /** A signed SubscriptionConfirmation, as SNS sends when the endpoint is subscribed. */
  subscriptionConfirmation(options: { topicArn?: string; version?: Version; token?: string } = {}) {
    const topicArn = options.topicArn ?? TEST_TOPIC_ARN;
    const token = options.token ?? randomUUID().replaceAll('-', '');
    return this.sign(
      {
        Type: 'SubscriptionConfirmation' as const,
        MessageId: randomUUID(),
        Token: token,
        TopicArn: topicArn,
        Message:
          `You have chosen to subscribe to the topic ${topicArn}.\n` +
          'To confirm the subscription, visit the SubscribeURL included in this message.',
        SubscribeURL:
          `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${topicArn}` + `&Token=${token}`,
        Timestamp: new Date().toISOString(),
      },
      options.version,
    );
  }
}

/** SES events as SES publishes them to SNS (the notification format; `eventType` for event publishing). */
export const sesMessage = {
  bounce(
    emails: string[],
    bounceType: 'Permanent' | 'Transient' | 'Undetermined',
    messageId: string,
    format: 'notificationType' | 'eventType' = 'notificationType',
  ) {
    return JSON.stringify({
      [format]: 'Bounce',
      bounce: {
        bounceType,
        bounceSubType: bounceType === 'Permanent' ? 'General' : 'MailboxFull',
        bouncedRecipients: emails.map((emailAddress) => ({ emailAddress, action: 'failed', status: '5.1.1' })),
        timestamp: new Date().toISOString(),
        feedbackId: randomUUID(),
      },
      mail: mail(messageId, emails),
    });
  },
  complaint(emails: string[], messageId: string, format: 'notificationType' | 'eventType' = 'notificationType') {
    return JSON.stringify({
      [format]: 'Complaint',
      complaint: {
        complainedRecipients: emails.map((emailAddress) => ({ emailAddress })),
        timestamp: new Date().toISOString(),
        feedbackId: randomUUID(),
        complaintFeedbackType: 'abuse',
      },
      mail: mail(messageId, emails),
    });
  },
  delivery(
    emails: string[],
    messageId: string,
    timestamp: string,
    format: 'notificationType' | 'eventType' = 'notificationType',
  ) {
    return JSON.stringify({
      [format]: 'Delivery',
      delivery: {
        timestamp,
        processingTimeMillis: 512,
        recipients: emails,
        smtpResponse: '250 2.0.0 OK',
        reportingMTA: 'a8-70.smtp-out.amazonses.com',
      },
      mail: mail(messageId, emails),
    });
  },
};

function mail(messageId: string, destination: string[]) {
  return {
    timestamp: new Date().toISOString(),
    messageId,
    source: 'news@example.org',
    sourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.org',
    destination,
  };
}

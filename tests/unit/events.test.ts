// SNS signatures and SES event parsing: pure, with a key and certificate made for the test.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSesNotification } from '../../src/events/ses-notification.js';
import {
  isTrustedCertUrl,
  snsEnvelopeSchema,
  stringToSign,
  verifySnsSignature,
  type SnsEnvelope,
} from '../../src/events/sns-signature.js';
import { SnsSigner, TEST_TOPIC_ARN, sesMessage } from '../support/sns-signer.js';

describe('the string SNS signs', () => {
  const base = {
    MessageId: 'a1b2',
    TopicArn: TEST_TOPIC_ARN,
    Message: 'line one\nline two',
    Timestamp: '2026-01-02T03:04:05.678Z',
    SignatureVersion: '1',
    Signature: 'x',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.pem',
  } as const;

  it('lists a notification’s keys and values in order, each on its own line, Subject only when present', () => {
    const withoutSubject: SnsEnvelope = {
      ...base,
      Type: 'Notification',
      UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
    };
    expect(stringToSign(withoutSubject)).toBe(
      'Message\nline one\nline two\nMessageId\na1b2\nTimestamp\n2026-01-02T03:04:05.678Z\n' +
        `TopicArn\n${TEST_TOPIC_ARN}\nType\nNotification\n`,
    );
    expect(stringToSign({ ...withoutSubject, Subject: 'Hola' })).toBe(
      'Message\nline one\nline two\nMessageId\na1b2\nSubject\nHola\nTimestamp\n2026-01-02T03:04:05.678Z\n' +
        `TopicArn\n${TEST_TOPIC_ARN}\nType\nNotification\n`,
    );
    expect(stringToSign({ ...withoutSubject, Subject: null })).toBe(stringToSign(withoutSubject));
  });

  it('lists SubscribeURL and Token for subscription confirmations', () => {
    const confirmation: SnsEnvelope = {
      ...base,
      Type: 'SubscriptionConfirmation',
      Token: 'tok',
      SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription',
    };
    expect(stringToSign(confirmation)).toBe(
      'Message\nline one\nline two\nMessageId\na1b2\n' +
        'SubscribeURL\nhttps://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription\n' +
        'Timestamp\n2026-01-02T03:04:05.678Z\nToken\ntok\n' +
        `TopicArn\n${TEST_TOPIC_ARN}\nType\nSubscriptionConfirmation\n`,
    );
    expect(stringToSign({ ...confirmation, Type: 'UnsubscribeConfirmation' })).toContain('Token\ntok\n');
  });
});

describe('SNS signature verification', () => {
  let signer: SnsSigner;
  let other: SnsSigner;
  beforeAll(() => {
    signer = new SnsSigner();
    other = new SnsSigner();
  });

  it.each(['1', '2'] as const)('accepts a notification signed with SignatureVersion %s', (version) => {
    const message = signer.notification('{"hello":"world"}', {
      version,
      subject: 'Amazon SES Email Event Notification',
    });
    expect(snsEnvelopeSchema.parse(message)).toEqual(message);
    expect(verifySnsSignature(message, signer.certificatePem)).toBe(true);
  });

  it.each(['1', '2'] as const)('accepts a subscription confirmation signed with SignatureVersion %s', (version) => {
    expect(verifySnsSignature(signer.subscriptionConfirmation({ version }), signer.certificatePem)).toBe(true);
  });

  it('rejects a message changed after signing', () => {
    const message = signer.notification(sesMessage.bounce(['ana@example.org'], 'Transient', 'm-1'));
    expect(
      verifySnsSignature(
        { ...message, Message: sesMessage.bounce(['ana@example.org'], 'Permanent', 'm-1') },
        signer.certificatePem,
      ),
    ).toBe(false);
    expect(verifySnsSignature({ ...message, Subject: 'added' }, signer.certificatePem)).toBe(false);
    expect(verifySnsSignature({ ...message, TopicArn: `${TEST_TOPIC_ARN}-2` }, signer.certificatePem)).toBe(false);
  });

  it('rejects a signature made with another key, for the wrong version, or unreadable', () => {
    const message = signer.notification('{}');
    expect(verifySnsSignature(message, other.certificatePem)).toBe(false);
    expect(verifySnsSignature({ ...message, SignatureVersion: '2' }, signer.certificatePem)).toBe(false);
    expect(verifySnsSignature({ ...message, Signature: 'not base64 at all!' }, signer.certificatePem)).toBe(false);
    expect(verifySnsSignature(message, 'not a certificate')).toBe(false);
  });
});

describe('signing certificate URLs', () => {
  it.each([
    ['https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem', 'arn:aws:sns:us-east-1:123456789012:t'],
    ['https://sns.eu-west-3.amazonaws.com/SimpleNotificationService-abc.pem', 'arn:aws:sns:eu-west-3:123456789012:t'],
    [
      'https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem',
      'arn:aws-cn:sns:cn-north-1:123456789012:t',
    ],
    ['https://sns.us-gov-west-1.amazonaws.com/a/b.pem', 'arn:aws-us-gov:sns:us-gov-west-1:123456789012:t'],
  ])('trusts %s for %s', (url, topicArn) => {
    expect(isTrustedCertUrl(url, topicArn)).toBe(true);
  });

  it.each([
    'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://sns.us-east-1.amazonaws.com.evil.example/cert.pem',
    'https://evil.example/sns.us-east-1.amazonaws.com/cert.pem',
    'https://sns.us-east-1.amazonaws.com/cert.txt',
    'https://s3.amazonaws.com/sns/cert.pem',
    'https://sns.amazonaws.com/cert.pem',
    'https://user@sns.us-east-1.amazonaws.com/cert.pem',
    'https://sns.us-east-1.amazonaws.com:8443/cert.pem',
    'https://sns.us_east.amazonaws.com/cert.pem',
    // S3-style hosts, which AWS's own validator accepts: buckets named "sns" anyone may own.
    'https://sns.s3.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://sns.s3-external-1.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://sns.s3.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
    // SNS itself, but not the topic's region or partition.
    'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://sns.us-east-1.amazonaws.com.cn/SimpleNotificationService-abc.pem',
    'not a url',
  ])('does not trust %s for a topic in us-east-1', (url) => {
    expect(isTrustedCertUrl(url, TEST_TOPIC_ARN)).toBe(false);
  });

  it('trusts nothing for a topic ARN it cannot read', () => {
    const url = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem';
    for (const topicArn of ['', 'arn:aws:sns:s3:123456789012:t', 'arn:aws:sqs:us-east-1:123456789012:t', 'x'])
      expect(isTrustedCertUrl(url, topicArn), topicArn).toBe(false);
  });
});

describe('SES events in SNS messages', () => {
  it.each(['notificationType', 'eventType'] as const)(
    'reads bounces (%s), Permanent as permanent and the others as transient',
    (format) => {
      expect(
        parseSesNotification(
          sesMessage.bounce(['Ana@Example.org', '"Beto" <beto@example.org>'], 'Permanent', 'm-1', format),
        ),
      ).toEqual({
        kind: 'bounce',
        permanent: true,
        emails: ['ana@example.org', 'beto@example.org'],
        messageId: 'm-1',
      });
      expect(parseSesNotification(sesMessage.bounce(['ana@example.org'], 'Transient', 'm-2', format))).toMatchObject({
        kind: 'bounce',
        permanent: false,
      });
      expect(parseSesNotification(sesMessage.bounce(['ana@example.org'], 'Undetermined', 'm-3', format))).toMatchObject(
        { kind: 'bounce', permanent: false },
      );
    },
  );

  it.each(['notificationType', 'eventType'] as const)('reads complaints (%s)', (format) => {
    expect(parseSesNotification(sesMessage.complaint(['ana@example.org'], 'm-4', format))).toEqual({
      kind: 'complaint',
      emails: ['ana@example.org'],
      messageId: 'm-4',
    });
  });

  it.each(['notificationType', 'eventType'] as const)('reads deliveries (%s) with their time', (format) => {
    expect(
      parseSesNotification(sesMessage.delivery(['ana@example.org'], 'm-5', '2026-03-04T05:06:07.890Z', format)),
    ).toEqual({
      kind: 'delivery',
      messageId: 'm-5',
      at: '2026-03-04T05:06:07.890Z',
    });
    const noTime = JSON.stringify({
      notificationType: 'Delivery',
      mail: { messageId: 'm-6' },
      delivery: { timestamp: 'yesterday' },
    });
    expect(parseSesNotification(noTime)).toEqual({ kind: 'delivery', messageId: 'm-6', at: undefined });
  });

  it('reads anything else, or anything unreadable, as other', () => {
    for (const message of [
      JSON.stringify({ eventType: 'Open', mail: { messageId: 'm' }, open: {} }),
      JSON.stringify({ eventType: 'DeliveryDelay', mail: { messageId: 'm' } }),
      JSON.stringify({ notificationType: 'AmazonSnsSubscriptionSucceeded', message: 'ok' }),
      JSON.stringify({ notificationType: 'Bounce', bounce: { bounceType: 'Permanent' } }),
      JSON.stringify({ notificationType: 'Complaint', mail: { messageId: 'm' } }),
      '"just a string"',
      'null',
      'not json',
    ]) {
      expect(parseSesNotification(message), message).toEqual({ kind: 'other' });
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  AccountPausedError,
  PermanentSendError,
  QuotaExceededError,
  ThrottledError,
  TooManyRequestsError,
  classifySesError,
  withoutAddresses,
} from '../../src/sending/send-errors.js';
import { AdaptivePace, MAX_SLOWDOWN } from '../../src/sending/adaptive-pace.js';
import { cappedBackoff, pacing } from '../../src/sending/send-queues.js';
import { fromAddress, parseMailbox } from '../../src/sending/from-address.js';
import { DEFAULT_SETTINGS } from '../../src/settings/settings.js';
import { readDisplayName } from '../helpers/display-name.js';

const sesError = (name: string, status?: number) =>
  Object.assign(new Error(`scripted ${name}`), { name, $metadata: { httpStatusCode: status } });

describe('SES errors', () => {
  it.each([
    ['TooManyRequestsException', 429, TooManyRequestsError],
    ['InternalFailure', 500, ThrottledError],
    ['ServiceUnavailable', 503, ThrottledError],
    ['LimitExceededException', 400, QuotaExceededError],
    ['SendingPausedException', 400, AccountPausedError],
    ['AccountSuspendedException', 400, AccountPausedError],
    ['MessageRejected', 400, PermanentSendError],
    ['BadRequestException', 400, PermanentSendError],
    ['MailFromDomainNotVerifiedException', 400, PermanentSendError],
    ['NotFoundException', 404, PermanentSendError],
    ['SomethingNew', 403, PermanentSendError],
  ])('%s (%i) is a %s', (name, status, type) => {
    const classified = classifySesError(sesError(name, status));
    expect(classified).toBeInstanceOf(type);
    expect(classified.message).toContain(name);
  });

  it('retries throttling like a fault, and tells the two apart so that only throttling slows the pace', () => {
    expect(classifySesError(sesError('TooManyRequestsException', 429))).toBeInstanceOf(ThrottledError);
    expect(classifySesError(sesError('InternalFailure', 500))).not.toBeInstanceOf(TooManyRequestsError);
  });

  it('says on the error whether SES paused sending or suspended the account, without reading the message', () => {
    expect(classifySesError(sesError('SendingPausedException', 400))).toMatchObject({ reason: 'sendingPaused' });
    expect(classifySesError(sesError('AccountSuspendedException', 400))).toMatchObject({ reason: 'accountSuspended' });
  });

  it('treats a network error (no HTTP status) as worth retrying', () => {
    expect(classifySesError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBeInstanceOf(
      ThrottledError,
    );
  });

  it('names no address in its message or stack, however SES quotes it', () => {
    const quoted = Object.assign(
      new Error(
        'Email address is not verified. The following identities failed the check in region EU-WEST-1: ' +
          'Reader.One+news@Example.org, "NNIRR" <bulletin@nnirr.org>; (x@[192.0.2.1])',
      ),
      { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } },
    );
    const classified = classifySesError(quoted);
    expect(classified.message).toBe(
      'MessageRejected: Email address is not verified. The following identities failed the check in region ' +
        'EU-WEST-1: [address], "NNIRR" <[address]>; ([address])',
    );
    expect(classified.stack).not.toMatch(/@(example|nnirr)\.org|x@/i);
    expect(withoutAddresses('no address @ here, nor in user at example.org')).toBe(
      'no address @ here, nor in user at example.org',
    );
  });
});

describe('pacing', () => {
  it('sizes batches and the limiter so the rate is kept across all workers', () => {
    expect(pacing(14)).toEqual({ batchSize: 14, limiter: { max: 1, duration: 1000 } });
    expect(pacing(200)).toEqual({ batchSize: 50, limiter: { max: 1, duration: 250 } });
    expect(pacing(0.5)).toEqual({ batchSize: 1, limiter: { max: 1, duration: 2000 } });
    for (const rate of [1, 3.5, 14, 50, 77, 1000]) {
      const { batchSize, limiter } = pacing(rate);
      expect((batchSize * 1000) / limiter.duration).toBeLessThanOrEqual(rate);
    }
  });

  it('slows down on throttled batches, at most MAX_SLOWDOWN times, and recovers step by step', () => {
    const pace = new AdaptivePace(250);
    expect(pace.batchGapMs).toBe(250);
    expect([true, true].map((t) => pace.record(t))).toEqual([2, 4]);
    expect(pace.batchGapMs).toBe(1000);
    for (let i = 0; i < 5; i++) pace.record(true);
    expect(pace.slowdown).toBe(MAX_SLOWDOWN);
    expect([false, false, true].map((t) => pace.record(t))).toEqual([7.5, 7, 8]);
    for (let i = 0; i < 13; i++) pace.record(false);
    expect(pace.slowdown).toBe(1.5);
    expect([false, false].map((t) => pace.record(t))).toEqual([1, 1]);
  });

  it('backs a throttled batch off 1 s, 2 s, 4 s … up to a minute', () => {
    expect([1, 2, 3, 7, 8, 50].map(cappedBackoff)).toEqual([1000, 2000, 4000, 60_000, 60_000, 60_000]);
  });
});

describe('fromAddress', () => {
  const sender = (senderName: string) =>
    fromAddress({ ...DEFAULT_SETTINGS, senderEmail: 'news@nnirr.org', senderName }, 'x@y.org');

  it('uses the sender in settings, else MAIL_FROM, and a bare address when there is no name', () => {
    expect(fromAddress(DEFAULT_SETTINGS, 'Red <b@x.org>')).toBe('"Red" <b@x.org>');
    expect(fromAddress(DEFAULT_SETTINGS, 'b@x.org')).toBe('b@x.org');
    expect(sender('')).toBe('news@nnirr.org');
    expect(sender('NNIRR')).toBe('"NNIRR" <news@nnirr.org>');
  });

  it('keeps an ASCII name with commas, quotes and backslashes one correct quoted-string', () => {
    expect(sender('Red "Sin Fronteras", Tucson')).toBe('"Red \\"Sin Fronteras\\", Tucson" <news@nnirr.org>');
    expect(sender('a\\b')).toBe('"a\\\\b" <news@nnirr.org>');
    expect(readDisplayName(sender('Red "Sin Fronteras", Tucson'))).toBe('Red "Sin Fronteras", Tucson');
    // Nothing can end the quote or the header, or add an address of its own.
    const hostile = sender('NNIRR "News"\r\nBcc: x@evil.example, <y@evil.example>');
    expect(hostile).toBe('"NNIRR \\"News\\"Bcc: x@evil.example, <y@evil.example>" <news@nnirr.org>');
    expect(hostile).toMatch(/^"(?:[^"\\\r\n]|\\.)*" <news@nnirr\.org>$/);
  });

  it('writes any other name as RFC 2047 encoded-words of at most 75 characters, cut between characters', () => {
    expect(sender('Boletín de la Red')).toBe(
      `=?UTF-8?B?${Buffer.from('Boletín de la Red').toString('base64')}?= <news@nnirr.org>`,
    );
    expect(fromAddress(DEFAULT_SETTINGS, 'Pregón <bulletin@pregon.localhost>')).toBe(
      '=?UTF-8?B?UHJlZ8Ozbg==?= <bulletin@pregon.localhost>',
    );
    for (const name of [
      'Boletín de la Red',
      'Pregón 📣 Red',
      'Boletín "La Red", Tucson',
      'ñ'.repeat(200),
      `${'a'.repeat(44)}📣${'é'.repeat(30)}`,
      '👩🏽‍🌾'.repeat(20),
    ]) {
      const from = sender(name);
      expect(readDisplayName(from), name).toBe(name);
    }
    expect(sender('ñ'.repeat(200)).split(' ').length).toBeGreaterThan(2);
  });

  it('reads MAIL_FROM with or without quotes around its name, and drops control characters from any name', () => {
    expect(parseMailbox('Our Network <bulletin@example.org>')).toEqual({
      name: 'Our Network',
      address: 'bulletin@example.org',
    });
    expect(parseMailbox('"Red \\"Sin Fronteras\\", Tucson" <b@x.org>')).toEqual({
      name: 'Red "Sin Fronteras", Tucson',
      address: 'b@x.org',
    });
    expect(parseMailbox(' b@x.org ')).toEqual({ name: '', address: 'b@x.org' });
    expect(parseMailbox('b@x.org (Name)')).toBeUndefined();
    expect(fromAddress(DEFAULT_SETTINGS, '"Boletín, Red" <b@x.org>')).toBe(
      `=?UTF-8?B?${Buffer.from('Boletín, Red').toString('base64')}?= <b@x.org>`,
    );
    expect(sender('Red\u001b[31m\u0007\u007f\u0085')).toBe('"Red[31m" <news@nnirr.org>');
  });
});

import { describe, expect, it } from 'vitest';
import { AccountPausedError, PermanentSendError, QuotaExceededError, ThrottledError, TooManyRequestsError, classifySesError } from '../../src/sending/send-errors.js';
import { AdaptivePace, MAX_SLOWDOWN } from '../../src/sending/adaptive-pace.js';
import { cappedBackoff, pacing } from '../../src/sending/send-queues.js';
import { fromAddress } from '../../src/sending/from-address.js';
import { DEFAULT_SETTINGS } from '../../src/settings/settings.js';

const sesError = (name: string, status?: number) => Object.assign(new Error(`scripted ${name}`), { name, $metadata: { httpStatusCode: status } });

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

  it('treats a network error (no HTTP status) as worth retrying', () => {
    expect(classifySesError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBeInstanceOf(ThrottledError);
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
  it('uses the sender in settings, quoting a display name that cannot break the header', () => {
    expect(fromAddress(DEFAULT_SETTINGS, 'Pregón <b@x.org>')).toBe('Pregón <b@x.org>');
    expect(fromAddress({ ...DEFAULT_SETTINGS, senderEmail: 'news@nnirr.org' }, 'x')).toBe('news@nnirr.org');
    expect(fromAddress({ ...DEFAULT_SETTINGS, senderEmail: 'news@nnirr.org', senderName: 'NNIRR "News"\r\nBcc: x' }, 'x')).toBe('"NNIRR NewsBcc: x" <news@nnirr.org>');
  });
});

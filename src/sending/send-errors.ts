// What a failed send means for the sender: retry soon, wait long, pause the campaign, or give
// up on that one message. The retry decision reads the class, never the message, and the message
// names no address: it reaches the ledger, the campaign's reason, Redis and the logs.
import { UnrecoverableError } from 'bullmq';

/** Throttled (429) or SES had a fault (5xx, network): back off and try again. */
export class ThrottledError extends Error {
  override name = 'ThrottledError';
}

/** The throttling proper (429): SES says we send too fast, so the pace slows as well. */
export class TooManyRequestsError extends ThrottledError {
  override name = 'TooManyRequestsError';
}

/** A bulk send's stored template is not there (deleted when its campaign ended): store it again, then retry. */
export class TemplateMissingError extends ThrottledError {
  override name = 'TemplateMissingError';
}

/** The daily sending quota is spent (LimitExceededException): try again much later. */
export class QuotaExceededError extends Error {
  override name = 'QuotaExceededError';
}

/** Why SES stopped taking mail from the whole account (or its configuration set). */
export type AccountPauseReason = 'sendingPaused' | 'accountSuspended';

/** Sending is paused or the account suspended: pause the campaign and say why. */
export class AccountPausedError extends Error {
  override name = 'AccountPausedError';

  constructor(
    message: string,
    readonly reason: AccountPauseReason,
  ) {
    super(message);
  }
}

/** SES refused this message for good (rejected, bad request, unverified sender): fail the row. */
export class PermanentSendError extends UnrecoverableError {
  override name = 'PermanentSendError';
}

const PERMANENT = new Set([
  'MessageRejected',
  'BadRequestException',
  'MailFromDomainNotVerifiedException',
  'NotFoundException',
]);
const ACCOUNT = new Map<string, AccountPauseReason>([
  ['SendingPausedException', 'sendingPaused'],
  ['AccountSuspendedException', 'accountSuspended'],
]);

/** Anything shaped like an address (`local@domain`), wherever it sits in a text. */
const ADDRESS = /[^\s<>()[\]{}"',;:@]+@[^\s<>(){}"',;:@]+/g;

/**
 * The text with every address in it replaced by `[address]`. SES quotes the recipient in some
 * refusals ("Email address is not verified… : reader@example.org"), and the ledger keeps
 * `last_error` after the reader is erased.
 */
export function withoutAddresses(text: string): string {
  return text.replace(ADDRESS, '[address]');
}

/** Maps an error from the SES client to one of the classes above, its message without addresses. */
export function classifySesError(err: unknown): Error {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $fault?: string };
  const name = e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  const message = withoutAddresses(`${name}: ${e?.message ?? String(err)}`);
  if (name === 'TooManyRequestsException' || status === 429) return new TooManyRequestsError(message);
  if (name === 'LimitExceededException') return new QuotaExceededError(message);
  const paused = ACCOUNT.get(name);
  if (paused) return new AccountPausedError(message, paused);
  if (PERMANENT.has(name)) return new PermanentSendError(message);
  if ((status !== undefined && status >= 500) || e?.$fault === 'server' || status === undefined)
    return new ThrottledError(message);
  // Any other 4xx is a problem with this request that trying again will not mend.
  return new PermanentSendError(message);
}

/** What each SendBulkEmail entry status means, as classifySesError() reads SendEmail's errors. */
const BULK_STATUS: Record<string, (message: string) => Error> = {
  ACCOUNT_THROTTLED: (m) => new TooManyRequestsError(m),
  TRANSIENT_FAILURE: (m) => new ThrottledError(m),
  ACCOUNT_DAILY_QUOTA_EXCEEDED: (m) => new QuotaExceededError(m),
  ACCOUNT_SENDING_PAUSED: (m) => new AccountPausedError(m, 'sendingPaused'),
  CONFIGURATION_SET_SENDING_PAUSED: (m) => new AccountPausedError(m, 'sendingPaused'),
  ACCOUNT_SUSPENDED: (m) => new AccountPausedError(m, 'accountSuspended'),
  TEMPLATE_NOT_FOUND: (m) => new TemplateMissingError(m),
};

/**
 * One failed SendBulkEmail entry as an error class. Any status not above (MESSAGE_REJECTED,
 * INVALID_PARAMETER, MAIL_FROM_DOMAIN_NOT_VERIFIED, CONFIGURATION_SET_NOT_FOUND, FAILED, …) is a
 * refusal of that message that trying again will not mend.
 */
export function bulkEntryError(status: string, error: string): Error {
  const message = withoutAddresses(`${status}: ${error}`);
  return BULK_STATUS[status]?.(message) ?? new PermanentSendError(message);
}

// The SES events webhook's logic: an SNS POST is checked (topic, certificate, age, signature), then
// confirmed or applied once. Answers are status + outcome; nothing here knows about HTTP servers.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { SubscriberLifecycle } from '../audience/subscriber-lifecycle.js';
import type { SuppressionList } from '../audience/suppressions.js';
import type { Tables } from '../db/schema.js';
import { SesEventStore } from './ses-event-store.js';
import { parseSesNotification } from './ses-notification.js';
import {
  isSnsUrl,
  isTrustedCertUrl,
  snsEnvelopeSchema,
  verifySnsSignature,
  type SnsConfirmation,
  type SnsEnvelope,
} from './sns-signature.js';

export interface SesEventsDeps {
  db: Kysely<Tables>;
  suppressions: SuppressionList;
  /** Transient bounces in a row after which an address is suppressed (config.transientBounceLimit). */
  transientBounceLimit: number;
  /** Gets a signing certificate (PEM) from a trusted SNS URL; production: httpsCertificateFetcher. */
  fetchCertificate: (url: string) => Promise<string>;
  /** Visits a SubscribeURL to confirm a subscription; production: httpsSubscriptionConfirmer. */
  confirmSubscription: (subscribeUrl: string) => Promise<void>;
  /** SNS topics whose messages are accepted (config.snsTopicArns); any other is refused. */
  topicArns: readonly string[];
  logger: Logger;
}

export interface Receipt {
  status: number;
  outcome: string;
}

/** Certificates kept in memory; SNS signs with very few, so this only guards against growth. */
const CERTIFICATE_CACHE_SIZE = 50;
/**
 * How old a message's Timestamp may be. SNS keeps the Timestamp of the first attempt when it
 * retries, and retries an HTTP/S endpoint for at most an hour (a hard limit of its delivery
 * policies); the rest is margin for throttled topics and clocks. A replay within the window is a
 * duplicate (sns_messages remembers far longer); one outside it is refused here.
 */
const MAX_MESSAGE_AGE_MS = 6 * 3_600_000;
/** How far ahead of our clock a Timestamp may be: clocks differ a little, never by this much. */
const MAX_MESSAGE_LEAD_MS = 15 * 60_000;
/** How long the message ids are kept: far longer than MAX_MESSAGE_AGE_MS, which is what counts. */
export const SNS_MESSAGE_RETENTION_MS = 14 * 24 * 3_600_000;
/** Old message ids are deleted at most this often, by the webhook as messages come. */
const PRUNE_INTERVAL_MS = 3_600_000;

export class SesEvents {
  private readonly store: SesEventStore;
  private readonly certificates = new Map<string, Promise<string>>();
  private nextPruneAt = 0;

  constructor(private readonly deps: SesEventsDeps) {
    const lifecycle = new SubscriberLifecycle(deps.suppressions);
    this.store = new SesEventStore(deps.db, lifecycle, deps.transientBounceLimit);
  }

  /** Handles one POSTed body. Throws only for our own failures (the database), which SNS retries. */
  async receive(body: string): Promise<Receipt> {
    const message = parseEnvelope(body);
    if (!message) return { status: 400, outcome: 'malformed' };
    const log = this.deps.logger.child({ snsMessageId: message.MessageId, snsType: message.Type });
    if (!this.deps.topicArns.includes(message.TopicArn)) {
      log.warn({ topicArn: message.TopicArn }, 'SNS message from a topic not in SNS_TOPIC_ARNS refused');
      return { status: 403, outcome: 'unknown_topic' };
    }
    if (!isTrustedCertUrl(message.SigningCertURL, message.TopicArn)) {
      log.warn(
        { certUrl: message.SigningCertURL },
        "SNS message with a signing certificate outside its topic's SNS region refused",
      );
      return { status: 403, outcome: 'untrusted_certificate' };
    }
    const age = Date.now() - Date.parse(message.Timestamp);
    if (!(age <= MAX_MESSAGE_AGE_MS && age >= -MAX_MESSAGE_LEAD_MS)) {
      log.warn({ timestamp: message.Timestamp }, 'SNS message with a Timestamp outside the accepted window refused');
      return { status: 403, outcome: 'stale' };
    }
    let certificate: string;
    try {
      certificate = await this.certificate(message.SigningCertURL);
    } catch (err) {
      // Ours to fix, not the sender's: a 5xx makes SNS deliver the message again later.
      log.error({ err, certUrl: message.SigningCertURL }, 'could not fetch the SNS signing certificate');
      return { status: 503, outcome: 'certificate_unavailable' };
    }
    if (!verifySnsSignature(message, certificate)) {
      log.warn('SNS message with a bad signature refused');
      return { status: 403, outcome: 'bad_signature' };
    }
    await this.pruneNow();

    if (message.Type === 'SubscriptionConfirmation') return this.confirm(message, log);
    if (message.Type === 'UnsubscribeConfirmation') {
      // Nothing to do: staff re-subscribe from the AWS console if it was a mistake.
      log.warn({ topicArn: message.TopicArn }, 'SNS unsubscribed this endpoint from the topic');
      return (await this.store.apply(message.MessageId, message.Type, { kind: 'other' }))
        ? { status: 200, outcome: 'ignored' }
        : duplicate();
    }
    const event = parseSesNotification(message.Message);
    const applied = await this.store.apply(message.MessageId, message.Type, event);
    if (!applied) return duplicate();
    if (event.kind === 'other') return { status: 200, outcome: 'ignored' };
    log.info({ event: event.kind, sesMessageId: event.messageId, ...applied }, 'SES event applied');
    return { status: 200, outcome: event.kind };
  }

  /** Confirms outside any transaction (it is a network call); confirming twice does no harm. */
  private async confirm(message: SnsConfirmation, log: Logger): Promise<Receipt> {
    if (await this.store.seen(message.MessageId)) return duplicate();
    if (!isSnsUrl(message.SubscribeURL, message.TopicArn)) {
      log.warn({ subscribeUrl: message.SubscribeURL }, 'SNS SubscribeURL outside SNS refused');
      return { status: 403, outcome: 'untrusted_subscribe_url' };
    }
    try {
      await this.deps.confirmSubscription(message.SubscribeURL);
    } catch (err) {
      log.error({ err, topicArn: message.TopicArn }, 'could not confirm the SNS subscription');
      return { status: 502, outcome: 'confirmation_failed' };
    }
    await this.store.apply(message.MessageId, message.Type, { kind: 'other' });
    log.info({ topicArn: message.TopicArn }, 'SNS subscription confirmed');
    return { status: 200, outcome: 'confirmed' };
  }

  /** Forgets message ids past SNS_MESSAGE_RETENTION_MS, at most once per PRUNE_INTERVAL_MS. */
  private async pruneNow(): Promise<void> {
    if (Date.now() < this.nextPruneAt) return;
    this.nextPruneAt = Date.now() + PRUNE_INTERVAL_MS;
    const pruned = await this.store.forgetBefore(new Date(Date.now() - SNS_MESSAGE_RETENTION_MS));
    if (pruned) this.deps.logger.info({ pruned }, 'old SNS message ids forgotten');
  }

  /** The certificate at a trusted URL, fetched once; a failed fetch is tried again next time. */
  private certificate(url: string): Promise<string> {
    let pending = this.certificates.get(url);
    if (!pending) {
      if (this.certificates.size >= CERTIFICATE_CACHE_SIZE) this.certificates.clear();
      pending = this.deps.fetchCertificate(url);
      const fetched = pending;
      fetched.catch(() => {
        if (this.certificates.get(url) === fetched) this.certificates.delete(url);
      });
      this.certificates.set(url, pending);
    }
    return pending;
  }
}

function parseEnvelope(body: string): SnsEnvelope | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const parsed = snsEnvelopeSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

function duplicate(): Receipt {
  return { status: 200, outcome: 'duplicate' };
}

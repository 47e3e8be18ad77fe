// How many confirmation mails may go, counted in Redis: per mailbox (an address's variants count
// as one), per domain, and across the installation. Past any of them the mail is held; the person
// who asked has had the same page either way.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { countInWindow } from '../redis.js';

export interface ConfirmationLimits {
  /** Mails an hour across the installation (SUBSCRIBE_CONFIRMATIONS_PER_HOUR). */
  perHour: number;
  /** Mails an hour to one domain (SUBSCRIBE_CONFIRMATIONS_PER_DOMAIN). */
  perDomainPerHour: number;
  /** Mails a day to one mailbox. Default 3. */
  perMailboxPerDay?: number;
}

/** Which limit held a mail, and how many it had counted in its window with this one. */
export interface Held {
  limit: 'mailbox' | 'domain' | 'installation';
  count: number;
}

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
const GMAIL = new Set(['gmail.com', 'googlemail.com']);

/**
 * The mailbox an address delivers to: lower case, without a `+tag`, and for Gmail (either of its
 * domains) without the dots of the local part, which Gmail ignores.
 */
export function mailboxOf(email: string): { mailbox: string; domain: string } {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  const untagged = address.slice(0, at).split('+')[0]!;
  const gmail = GMAIL.has(address.slice(at + 1));
  const domain = gmail ? 'gmail.com' : address.slice(at + 1);
  return { mailbox: `${gmail ? untagged.replaceAll('.', '') : untagged}@${domain}`, domain };
}

export class ConfirmationLimiter {
  constructor(
    private readonly redis: Redis,
    /** Prefix of the counters' keys. */
    private readonly prefix: string,
    private readonly limits: ConfirmationLimits,
  ) {}

  /**
   * Counts one more mail to `email` against each limit in turn, narrowest first, and says which
   * one holds it; undefined when it may go. A mail held by one limit is not counted by the wider
   * ones, so bombing one mailbox does not spend the installation's hour.
   */
  async hold(email: string): Promise<Held | undefined> {
    const { mailbox, domain } = mailboxOf(email);
    // Keys name no address: a hash of the mailbox (a domain is no one's address).
    const mailboxKey = createHash('sha256').update(mailbox).digest('hex');
    const { perMailboxPerDay = 3, perDomainPerHour, perHour } = this.limits;
    const checks = [
      { limit: 'mailbox', key: `mailbox:${mailboxKey}`, max: perMailboxPerDay, ms: DAY_MS },
      { limit: 'domain', key: `domain:${domain}`, max: perDomainPerHour, ms: HOUR_MS },
      { limit: 'installation', key: 'all', max: perHour, ms: HOUR_MS },
    ] as const;
    for (const { limit, key, max, ms } of checks) {
      const { count } = await countInWindow(this.redis, `${this.prefix}:confirmation-mails:${key}`, ms);
      if (count > max) return { limit, count };
    }
    return undefined;
  }
}

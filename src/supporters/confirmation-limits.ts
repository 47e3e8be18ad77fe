// How many confirmation mails may go, counted in Redis: per mailbox (an address's variants count
// as one), per domain, and across the installation. Past any of them the mail is held: a mail the
// form asked for is dropped (the person who asked has had the same page either way); one staff
// asked for waits for the domain's or the installation's next hour (confirmations.ts).
import { createHash } from 'node:crypto';
import { countInWindow, type RedisClient } from '../redis.js';

export interface ConfirmationLimits {
  /** Mails an hour across the installation (SUBSCRIBE_CONFIRMATIONS_PER_HOUR). */
  perHour: number;
  /** Mails an hour to one domain (SUBSCRIBE_CONFIRMATIONS_PER_DOMAIN). */
  perDomainPerHour: number;
  /** Mails a day to one mailbox. Default 3. */
  perMailboxPerDay?: number;
}

/** Which limit held a mail, how many it had counted in its window with this one, and the window's time left. */
export interface Held {
  limit: 'mailbox' | 'domain' | 'installation';
  count: number;
  msLeft: number;
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
    private readonly redis: RedisClient,
    /** Prefix of the counters' keys. */
    private readonly prefix: string,
    private readonly limits: ConfirmationLimits,
  ) {}

  /**
   * Counts one more mail to `email` against each limit in turn, narrowest first, and says which
   * one holds it; undefined when it may go. A held mail is given back to every count it was added
   * to, but for a mailbox's own limit (there the attempts themselves are what is counted): bombing
   * one mailbox does not spend the domain's or the installation's hour, and a mail that waits for
   * the next hour, checked again and again, spends nothing meanwhile.
   *
   * `share` is the part of the installation's hour this mail may take: a staff's import of
   * thousands asks for half, so the subscribe form always keeps the other half.
   */
  async hold(email: string, share = 1): Promise<Held | undefined> {
    const { mailbox, domain } = mailboxOf(email);
    // Keys name no address: a hash of the mailbox (a domain is no one's address).
    const mailboxKey = createHash('sha256').update(mailbox).digest('hex');
    const { perMailboxPerDay = 3, perDomainPerHour, perHour } = this.limits;
    const checks = [
      { limit: 'mailbox', key: `mailbox:${mailboxKey}`, max: perMailboxPerDay, ms: DAY_MS },
      { limit: 'domain', key: `domain:${domain}`, max: perDomainPerHour, ms: HOUR_MS },
      { limit: 'installation', key: 'all', max: Math.max(1, Math.floor(perHour * share)), ms: HOUR_MS },
    ] as const;
    const counted: { counter: string; ms: number }[] = [];
    for (const { limit, key, max, ms } of checks) {
      const counter = `${this.prefix}:confirmation-mails:${key}`;
      const { count, msLeft } = await countInWindow(this.redis, counter, ms);
      if (count <= max) {
        counted.push({ counter, ms });
        continue;
      }
      if (limit !== 'mailbox') counted.push({ counter, ms });
      // Through countInWindow, not DECR: a window that ended meanwhile is not left without an expiry.
      for (const given of counted) await countInWindow(this.redis, given.counter, given.ms, -1);
      return { limit, count, msLeft };
    }
    return undefined;
  }
}

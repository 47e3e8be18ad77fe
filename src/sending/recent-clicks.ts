// Which clients followed which tracked link lately, so that a link's count grows by one per client
// and window, not by every request. Redis holds, for CLICK_WINDOW_MS, a key made of the link id and
// a keyed hash of the client's network: no address, and nothing about who the reader is.
import { createHmac } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { RedisClient } from '../redis.js';

/** A client's clicks on one link within this window count once. */
export const CLICK_WINDOW_MS = 10 * 60_000;

export class RecentClicks {
  constructor(
    private readonly redis: RedisClient,
    /** Where the keys live in Redis, e.g. `pregon:clicks`. */
    private readonly prefix: string,
    /** APP_SECRET: the client's network is kept only as an HMAC keyed by it. */
    private readonly secret: string,
  ) {}

  /** Whether this is the client's first click on the link within the window; remembers it if so. */
  async first(linkId: number, ip: string): Promise<boolean> {
    const client = createHmac('sha256', this.secret)
      .update(`click-client:${network(ip)}`)
      .digest('base64url');
    const key = `${this.prefix}:${linkId}:${client.slice(0, 22)}`;
    return (await this.redis.set(key, '1', 'PX', CLICK_WINDOW_MS, 'NX')) === 'OK';
  }
}

/** An IPv4 address as it is; an IPv6 one as its /64, which one household or phone holds whole. */
function network(ip: string): string {
  if (!isIPv6(ip) || ip.startsWith('::ffff:')) return ip.replace(/^::ffff:/, '');
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

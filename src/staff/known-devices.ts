// Browsers that signed in before: a long-lived cookie holds, for each address signed in from the
// browser, when it signed in and an HMAC of that and the address keyed by APP_SECRET. No address
// is in the cookie and nothing is stored on our side. A known browser is spared the per-address
// ceiling on failed sign-ins, so others guessing at an address cannot keep its owner out.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { parseCookies, staffCookieOptions } from './session-cookie.js';

export const DEVICE_COOKIE = 'pregon_device';
/** A browser unused for sign-in this long is a stranger again. */
export const DEVICE_LIFETIME_MS = 365 * 24 * 3600_000;
/** Addresses one browser is remembered for (a shared office computer): the oldest is forgotten first. */
const MAX_ADDRESSES = 5;
const SIGNATURE_BYTES = 16;

export class KnownDevices {
  constructor(
    private readonly appSecret: string,
    private readonly publicUrl: string,
  ) {}

  /** Whether this browser signed in with this address (trimmed, lower case) within the lifetime. */
  isKnown(req: Request, email: string): boolean {
    return this.entries(req).some((entry) => this.matches(entry, email));
  }

  /** Remembers, after a sign-in, that this browser signed in with this address, now. */
  remember(req: Request, res: Response, email: string): void {
    const others = this.entries(req).filter((entry) => !this.matches(entry, email));
    const issuedAt = Date.now().toString(36);
    const entries = [`${issuedAt}.${this.signature(email, issuedAt)}`, ...others].slice(0, MAX_ADDRESSES);
    // Sent with sign-in requests only.
    res.cookie(DEVICE_COOKIE, entries.join('~'), {
      ...staffCookieOptions(req, this.publicUrl),
      path: '/api/session',
      maxAge: DEVICE_LIFETIME_MS,
    });
  }

  /** The cookie's entries that are still within their lifetime, whoever they are for. */
  private entries(req: Request): string[] {
    const now = Date.now();
    return (parseCookies(req.get('cookie')).get(DEVICE_COOKIE) ?? '')
      .split('~')
      .filter((entry) => now - Number.parseInt(entry.split('.')[0]!, 36) < DEVICE_LIFETIME_MS);
  }

  private matches(entry: string, email: string): boolean {
    const [issuedAt, signature] = entry.split('.');
    if (!issuedAt || !signature) return false;
    const expected = Buffer.from(this.signature(email, issuedAt));
    const actual = Buffer.from(signature);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  private signature(email: string, issuedAt: string): string {
    return createHmac('sha256', this.appSecret)
      .update(`device:${email}:${issuedAt}`)
      .digest()
      .subarray(0, SIGNATURE_BYTES)
      .toString('base64url');
  }
}

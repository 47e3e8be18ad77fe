// Signed tokens for the links in a mail (unsubscribe, preferences, tracked clicks):
// an HMAC keyed by APP_SECRET, checked in constant time. No account, no lookup table.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type LinkPurpose = 'unsubscribe' | 'preferences' | 'confirm' | 'click';

/** 128 bits of HMAC-SHA256: plenty against forgery, short enough for a URL. */
const SIGNATURE_BYTES = 16;

export class LinkSigner {
  constructor(private readonly secret: string) {}

  /** A token carrying `payload` (no dots) for one purpose. */
  sign(purpose: LinkPurpose, payload: string): string {
    return `${Buffer.from(payload).toString('base64url')}.${this.signature(purpose, payload).toString('base64url')}`;
  }

  /** The payload, when the token was signed by us for this purpose; otherwise null. */
  verify(purpose: LinkPurpose, token: string): string | null {
    const [encoded, signature, extra] = token.split('.');
    if (!encoded || !signature || extra !== undefined) return null;
    const payload = Buffer.from(encoded, 'base64url').toString();
    const expected = this.signature(purpose, payload);
    const actual = Buffer.from(signature, 'base64url');
    return actual.length === expected.length && timingSafeEqual(actual, expected) ? payload : null;
  }

  private signature(purpose: LinkPurpose, payload: string): Buffer {
    return createHmac('sha256', this.secret).update(`link:${purpose}:${payload}`).digest().subarray(0, SIGNATURE_BYTES);
  }
}

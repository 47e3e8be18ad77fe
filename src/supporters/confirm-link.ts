// The signed token of a confirmation link: the subscriber, when it expires and, for someone who
// had unsubscribed, the request it confirms. Made by the confirmation mail, read by /confirm.
import type { LinkSigner } from '../signed-links.js';
import type { ConfirmationTarget } from './subscription-store.js';

/** A confirmation link works this long. */
export const CONFIRMATION_LIFETIME_SECONDS = 7 * 24 * 3600;

export interface ConfirmLink {
  id: number;
  requestId?: number;
  expired: boolean;
}

export function signConfirmLink(signer: LinkSigner, target: ConfirmationTarget): string {
  const expires = Math.floor(Date.now() / 1000) + CONFIRMATION_LIFETIME_SECONDS;
  const request = target.requestId === undefined ? '' : `:${target.requestId}`;
  return signer.sign('confirm', `${target.id}:${expires}${request}`);
}

/** What a token names, when we signed it for a confirmation; undefined otherwise. */
export function readConfirmLink(signer: LinkSigner, token: string): ConfirmLink | undefined {
  const payload = signer.verify('confirm', token);
  const match = payload && /^(\d+):(\d+)(?::(\d+))?$/.exec(payload);
  if (!match) return undefined;
  const [, id, expires, requestId] = match;
  return {
    id: Number(id),
    ...(requestId === undefined ? {} : { requestId: Number(requestId) }),
    expired: Number(expires) * 1000 <= Date.now(),
  };
}

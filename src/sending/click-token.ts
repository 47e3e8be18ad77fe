// What a tracked link's token carries: the link and the language of the mail it is in, signed
// together, so a click can be counted under no other link or language. Tokens of links mailed
// before the language was added (`<link id>` alone) still verify, and count under no language.
import type { LinkSigner } from '../signed-links.js';

export interface ClickToken {
  linkId: number;
  /** The language of the mail the link is in; undefined for a link mailed before clicks had one. */
  language?: string;
}

export function clickToken(signer: LinkSigner, linkId: number, language: string): string {
  return signer.sign('click', `${linkId}:${language}`);
}

/** What the token says, when we signed it; otherwise null. */
export function readClickToken(signer: LinkSigner, token: string): ClickToken | null {
  const match = /^(\d+)(?::([A-Za-z0-9-]+))?$/.exec(signer.verify('click', token) ?? '');
  if (!match) return null;
  return { linkId: Number(match[1]), ...(match[2] ? { language: match[2] } : {}) };
}

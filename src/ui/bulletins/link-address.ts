// What the link dialog accepts as a link's address in a Markdown body, and how it says where the
// link goes. The rule is the pre-send checks' for links in text (src/render/checks.ts), read by the
// same functions, held a step stricter: an http link, only a warning there, is refused here.
import { addressScheme, isLinkMergeField, mailtoAddress, publicHost } from '../../bulletins/link-address.js';

export type LinkAddress = { href: string; goesTo: string } | { error: string };

export function readLinkAddress(input: string): LinkAddress {
  const href = input.trim();
  if (!href) return { error: 'Enter an address, such as https://example.org/page' };
  if (isLinkMergeField(href)) return { href, goesTo: `each reader’s own ${href.replace(/[{}\s]/g, '')} link` };
  const scheme = addressScheme(href);
  if (scheme === undefined) {
    return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(href)
      ? { error: `To link an email address, write mailto:${href}` }
      : { error: `“${href}” is not a whole address; it needs https:// in front` };
  }
  if (scheme === 'mailto') {
    const address = mailtoAddress(href);
    return address
      ? { href, goesTo: `an email to ${address.split('?')[0]}` }
      : { error: `“${href}” has no email address after mailto:` };
  }
  if (scheme === 'http') return { error: `“${href}” is not https; links in a bulletin must be https` };
  if (scheme !== 'https') return { error: `“${href}” is not an https or mailto link` };
  const host = publicHost(href);
  return host ? { href, goesTo: host } : { error: `“${href}” has no address after https://` };
}

// What the link dialog accepts as a link's address in a Markdown body, and how it says where the
// link goes. The rule is the pre-send checks' for links in text (src/render/checks.ts), held a
// step stricter: an http link, only a warning there, is refused here in favour of https.

export type LinkAddress = { href: string; goesTo: string } | { error: string };

export function readLinkAddress(input: string): LinkAddress {
  const href = input.trim();
  if (!href) return { error: 'Enter an address, such as https://example.org/page' };
  const field = /^\{\{\s*(\w+_url)\s*\}\}$/.exec(href)?.[1];
  if (field) return { href, goesTo: `each reader’s own ${field} link` };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(href)
      ? { error: `To link an email address, write mailto:${href}` }
      : { error: `“${href}” is not a whole address; it needs https:// in front` };
  }
  if (scheme === 'mailto') {
    const address = href.slice('mailto:'.length);
    return /^[^@\s]+@[^@\s]+$/.test(address)
      ? { href, goesTo: `an email to ${address.split('?')[0]}` }
      : { error: `“${href}” has no email address after mailto:` };
  }
  if (scheme === 'http') return { error: `“${href}” is not https; links in a bulletin must be https` };
  if (scheme !== 'https') return { error: `“${href}” is not an https or mailto link` };
  const host = publicHost(href);
  return host ? { href, goesTo: host } : { error: `“${href}” has no address after https://` };
}

/** The host a reader's browser would reach (nnirr.org), if the address has one with a dot in it. */
function publicHost(url: string): string | undefined {
  try {
    const host = new URL(url).hostname.replace(/\.$/, '');
    return /^[^.]+(\.[^.]+)+$/.test(host) ? host : undefined;
  } catch {
    return undefined;
  }
}

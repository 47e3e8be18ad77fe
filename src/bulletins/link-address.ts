// How an address in a bulletin reads, the same for the pre-send checks (src/render/checks.ts) and
// the composer's link dialog (src/ui): pure, with nothing from Node, so the staff app imports it.

/** `{{view_url}}`, `{{unsubscribe_url}}`…: a merge field each reader's own link replaces. */
export function isLinkMergeField(href: string): boolean {
  return /^\{\{\s*\w+_url\s*\}\}$/.test(href);
}

/** The address's scheme in lower case (`https`, `mailto`), or undefined when it has none. */
export function addressScheme(href: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
}

/** What follows `mailto:` when it holds an address (`info@nnirr.org`, `info@nnirr.org?subject=…`). */
export function mailtoAddress(href: string): string | undefined {
  return /^mailto:([^@\s]+@[^@\s]+)$/i.exec(href)?.[1];
}

/** The host a reader's browser could reach: a name with a dot in it (nnirr.org), not "https://" or "https://link". */
export function publicHost(url: string): string | undefined {
  try {
    const host = new URL(url).hostname.replace(/\.$/, '');
    return /^[^.]+(\.[^.]+)+$/.test(host) ? host : undefined;
  } catch {
    return undefined;
  }
}

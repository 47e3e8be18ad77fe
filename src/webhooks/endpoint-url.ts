// Where a webhook endpoint may point. In production: https only, and never a loopback, private or
// link-local address written as such (the webhooks must not become a way into the server's own
// network). Elsewhere, http is also allowed to loopback, so tests and a developer's laptop can run
// a receiver.
import { isIP } from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why the URL may not be an endpoint, or undefined when it may. */
export function endpointUrlProblem(url: string, production: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL';
  }
  if (parsed.username || parsed.password) return 'must not carry a user name or password';
  const host = parsed.hostname.toLowerCase();
  const loopback = LOOPBACK_NAMES.has(host) || host.startsWith('127.');
  if (production) {
    if (parsed.protocol !== 'https:') return 'must be an https URL';
    if (loopback || isPrivateAddress(host)) return 'must not point into a private network';
    return undefined;
  }
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback)) return undefined;
  return 'must be an https URL (or http to this machine, outside production)';
}

/** An IP literal in a private, link-local or unspecified range. */
function isPrivateAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 4) {
    const [a, b] = bare.split('.').map(Number) as [number, number];
    return (
      a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)
    );
  }
  if (isIP(bare) === 6) return bare === '::' || /^(fc|fd|fe8|fe9|fea|feb)/.test(bare) || bare.startsWith('::ffff:');
  return false;
}

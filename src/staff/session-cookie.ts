// The staff session cookie: read from the Cookie header, written httpOnly and SameSite=Lax, and
// Secure whenever the request came over https or the public address is https.
import type { Request, Response } from 'express';
import { SESSION_LIFETIME_MS } from './sessions.js';

export const SESSION_COOKIE = 'pregon_session';

/**
 * "a=1; b=2" → {a: "1", b: "2"}; the first of two cookies with the same name wins, as browsers
 * send the most specific first.
 */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!name || cookies.has(name)) continue;
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      cookies.set(name, value);
    }
  }
  return cookies;
}

export function sessionToken(req: Request): string | undefined {
  return parseCookies(req.get('cookie')).get(SESSION_COOKIE) || undefined;
}

export function setSessionCookie(req: Request, res: Response, token: string, publicUrl: string): void {
  res.cookie(SESSION_COOKIE, token, { ...staffCookieOptions(req, publicUrl), maxAge: SESSION_LIFETIME_MS });
}

export function clearSessionCookie(req: Request, res: Response, publicUrl: string): void {
  res.clearCookie(SESSION_COOKIE, staffCookieOptions(req, publicUrl));
}

/** The staff cookies' attributes: out of reach of scripts and of other sites' requests. */
export function staffCookieOptions(req: Request, publicUrl: string) {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: req.secure || publicUrl.startsWith('https:') } as const;
}

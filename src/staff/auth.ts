// Authentication for /api: an API token, or a staff member's session cookie with its CSRF
// header for every change. The role check every route makes is in http/api-routes.ts.
import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors.js';
import type { Auth } from '../http/api-routes.js';
import { sessionToken } from './session-cookie.js';
import type { StaffUser, TokenOwner } from './staff-store.js';

export interface TokenVerifier {
  verifyToken(token: string): Promise<TokenOwner | null>;
}

export interface SessionVerifier {
  verify(token: string): Promise<StaffUser | null>;
  csrfMatches(sessionToken: string, given: string | undefined): boolean;
}

export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function staffAuth(deps: { tokens: TokenVerifier; sessions: SessionVerifier }): RequestHandler {
  return async (req, res, next) => {
    res.locals.auth = await authenticate(req, deps);
    next();
  };
}

async function authenticate(req: Request, deps: { tokens: TokenVerifier; sessions: SessionVerifier }): Promise<Auth> {
  const header = req.get('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new AppError('unauthorized', 'Send an API token as "Authorization: Bearer <token>"');
    const owner = await deps.tokens.verifyToken(match[1]!);
    if (!owner) throw new AppError('unauthorized', 'Unknown, revoked or expired API token');
    return { kind: 'token', ...owner };
  }
  const token = sessionToken(req);
  if (!token) throw new AppError('unauthorized', 'Sign in, or send an API token as "Authorization: Bearer <token>"');
  const staff = await deps.sessions.verify(token);
  if (!staff) throw new AppError('unauthorized', 'Your session has ended: sign in again');
  // A cookie goes with any request the browser makes, a custom header only with our own pages'.
  if (!SAFE_METHODS.has(req.method) && !deps.sessions.csrfMatches(token, req.get(CSRF_HEADER))) {
    throw new AppError(
      'forbidden',
      'The CSRF token is missing or wrong: send the csrfToken of GET /api/session in the X-CSRF-Token header',
    );
  }
  return { kind: 'session', staffId: staff.id, email: staff.email, role: staff.role, sessionToken: token };
}

// Bearer-token authentication for /api, and the role check every route makes.
import type { RequestHandler } from 'express';
import type { StaffRole } from '../db/schema.js';
import type { TokenOwner } from '../staff/staff-store.js';
import { AppError } from './app-error.js';

export type Auth = TokenOwner;

export interface TokenVerifier {
  verifyToken(token: string): Promise<TokenOwner | null>;
}

export function bearerAuth(tokens: TokenVerifier): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new AppError('unauthorized', 'Send an API token as "Authorization: Bearer <token>"');
    const owner = await tokens.verifyToken(match[1]!);
    if (!owner) throw new AppError('unauthorized', 'Unknown or revoked API token');
    res.locals.auth = owner;
    next();
  };
}

export function requireRole(auth: Auth, role: StaffRole): void {
  if (role === 'admin' && auth.role !== 'admin') {
    throw new AppError('forbidden', 'This needs a token with the admin role');
  }
}

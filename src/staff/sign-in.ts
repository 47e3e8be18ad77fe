// Staff sign-in from the browser, mounted under /api before authentication: GET/POST/DELETE
// /session and the first-run /setup. Failed attempts are throttled per address and per IP in
// Redis; a wrong address and a wrong password get the same answer in the same time.
import { createHash, randomBytes } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import { errorBody } from '../http/app-error.js';
import { jsonBody } from '../http/storable-input.js';
import { CSRF_HEADER } from './auth.js';
import { clearSessionCookie, sessionToken, setSessionCookie } from './session-cookie.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { SetupInput, SignInInput, type SessionAnswer, type SessionStaff } from './schemas.js';
import type { SessionStore } from './sessions.js';
import { setupCodeMatches } from './setup-code.js';
import type { StaffStore, StaffUser } from './staff-store.js';

export interface SignInLimits {
  /** Failed sign-ins per email address in a window. Default 10. */
  failuresPerEmail: number;
  /** Failed sign-ins and setups per IP address (IPv6: per /56) in a window. Default 50. */
  failuresPerIp: number;
  /** Default 15 minutes. */
  windowMs: number;
}

const DEFAULT_LIMITS: SignInLimits = { failuresPerEmail: 10, failuresPerIp: 50, windowMs: 15 * 60_000 };

export interface SignInDeps {
  staff: StaffStore;
  sessions: SessionStore;
  /** An https public address makes the cookie Secure even behind a proxy that speaks http. */
  publicUrl: string;
  /** The first-run code `npm start` printed; absent, no setup is possible. It works once. */
  setupCode?: string;
  /** The development mail viewer's path, told to the signed-in web app so it can link to it; absent, there is none. */
  mailViewer?: string;
  /** Holds the throttles' counters. */
  redis: Redis;
  /** Prefix of the throttles' keys in Redis. */
  rateLimitPrefix: string;
  logger: Logger;
  limits?: Partial<SignInLimits>;
}

export function signInRouter(deps: SignInDeps): Router {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const router = express.Router();
  let setupCode = deps.setupCode;
  // A hash of nothing anyone knows, at the cost of a real one, made before the first request needs it.
  const dummyHash = hashPassword(randomBytes(16).toString('base64url'));

  const throttle = (
    name: string,
    limit: number,
    extra: Partial<Parameters<typeof rateLimit>[0]> = {},
  ): RequestHandler =>
    rateLimit({
      windowMs: limits.windowMs,
      limit,
      // Only failures count: a person who signs in every day never meets the limit.
      skipSuccessfulRequests: true,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      store: new RedisStore({
        sendCommand: (command: string, ...args: string[]) => deps.redis.call(command, ...args) as Promise<RedisReply>,
        prefix: `${deps.rateLimitPrefix}:${name}:`,
      }),
      logger: deps.logger,
      handler: (_req, res) => {
        res
          .status(429)
          .json(errorBody(new AppError('rate_limited', 'Too many failed attempts: wait a few minutes and try again')));
      },
      ...extra,
    });
  const perIp = throttle('signin-ip', limits.failuresPerIp);
  const perEmail = throttle('signin-email', limits.failuresPerEmail, {
    skip: (req) => typeof req.body?.email !== 'string',
    // Hashed, so the addresses people sign in with are not lying around in Redis keys.
    keyGenerator: (req) => createHash('sha256').update(String(req.body.email).trim().toLowerCase()).digest('hex'),
  });

  /** Starts a session, sets its cookie and answers who is signed in; a session the cookie held before ends. */
  async function signIn(req: Request, res: Response, user: StaffUser, status: number): Promise<void> {
    const previous = sessionToken(req);
    if (previous) await deps.sessions.delete(previous);
    const token = await deps.sessions.create(user.id);
    await deps.staff.recordSignIn(user.id);
    setSessionCookie(req, res, token, deps.publicUrl);
    res.status(status).json(sessionAnswer(deps, user, token));
  }

  // Before authentication: a body no larger than sign-in or setup needs, not the API's megabyte.
  router.use(['/session', '/setup'], jsonBody({ limit: '16kb' }));

  router.get('/session', async (req, res) => {
    const token = sessionToken(req);
    const user = token ? await deps.sessions.verify(token) : null;
    if (!token || !user) {
      if (token) clearSessionCookie(req, res, deps.publicUrl);
      const setupRequired = (await deps.staff.countAdmins()) === 0;
      res.status(401).json({ ...errorBody(new AppError('unauthorized', 'Not signed in')), setupRequired });
      return;
    }
    res.json(sessionAnswer(deps, user, token));
  });

  router.post('/session', perIp, perEmail, async (req, res) => {
    const input = parseJsonBody(req, SignInInput);
    const found = await deps.staff.findForSignIn(input.email);
    // An unknown address still costs one scrypt, so the time of the answer does not tell.
    const valid = await verifyPassword(input.password, found?.passwordHash ?? (await dummyHash));
    if (!found || !valid) throw new AppError('unauthorized', 'Wrong email or password');
    await signIn(req, res, found.user, 200);
  });

  router.delete('/session', async (req, res) => {
    const token = sessionToken(req);
    if (token && (await deps.sessions.verify(token))) {
      if (!deps.sessions.csrfMatches(token, req.get(CSRF_HEADER))) {
        throw new AppError(
          'forbidden',
          'The CSRF token is missing or wrong: send the csrfToken of GET /api/session in the X-CSRF-Token header',
        );
      }
      await deps.sessions.delete(token);
    }
    clearSessionCookie(req, res, deps.publicUrl);
    res.status(204).end();
  });

  router.get('/setup', async (_req, res) => {
    res.json({ required: (await deps.staff.countAdmins()) === 0 });
  });

  router.post('/setup', perIp, async (req, res) => {
    const input = parseJsonBody(req, SetupInput);
    if ((await deps.staff.countAdmins()) > 0)
      throw new AppError('conflict', 'An admin account exists already: sign in instead');
    if (!setupCode || !setupCodeMatches(setupCode, input.code)) {
      throw new AppError('forbidden', 'The setup code is wrong', [
        { path: 'code', message: 'is not the code `npm start` printed (it works once)' },
      ]);
    }
    // Taken before the first await, so two requests with the right code cannot both use it.
    const code = setupCode;
    setupCode = undefined;
    let user: StaffUser;
    try {
      user = await deps.staff.createFirstAdmin(input);
    } catch (err) {
      setupCode = code;
      throw err;
    }
    await signIn(req, res, user, 201);
  });

  return router;
}

function sessionAnswer(deps: SignInDeps, user: StaffUser, token: string): SessionAnswer {
  return {
    staff: sessionStaff(user),
    csrfToken: deps.sessions.csrfToken(token),
    ...(deps.mailViewer ? { mailViewer: deps.mailViewer } : {}),
  };
}

/** The signed-in person as GET /api/session and GET /api/me show them. */
export function sessionStaff(user: StaffUser): SessionStaff {
  return { id: user.id, email: user.email, role: user.role, testAddresses: user.testAddresses };
}

/** A cross-site HTML form cannot send JSON: insisting on it keeps other sites from signing anyone in. */
function parseJsonBody<T>(req: Request, schema: z.ZodType<T>): T {
  if (!req.is('application/json') || req.body === undefined) {
    throw AppError.invalid([{ path: 'headers.content-type', message: 'must be application/json' }]);
  }
  const result = schema.safeParse(req.body);
  if (!result.success) throw AppError.fromZod(result.error);
  return result.data;
}

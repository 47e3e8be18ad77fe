// Staff sign-in from the browser, mounted under /api before authentication: GET/POST/DELETE
// /session and the first-run /setup. Failed attempts are throttled in Redis per IP, per address
// and IP, and per address with a far higher ceiling that spares browsers which signed in to the
// address before; so guesses from many networks cannot keep the owner out. A wrong address and a
// wrong password get the same answer in the same time, and the owner is told of the wrong
// passwords at their next sign-in.
import { createHash, randomBytes } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { type AugmentedRequest, ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ANONYMOUS, type AuditRecorder } from '../audit/audit-log.js';
import type { AuditActor } from '../audit/schemas.js';
import { AppError } from '../errors.js';
import { errorBody } from '../http/app-error.js';
import { jsonBody } from '../http/storable-input.js';
import { CSRF_HEADER } from './auth.js';
import type { KnownDevices } from './known-devices.js';
import { clearSessionCookie, sessionToken, setSessionCookie } from './session-cookie.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { SetupInput, SignInInput, type SessionAnswer, type SessionStaff } from './schemas.js';
import type { SessionStore } from './sessions.js';
import { setupCodeMatches } from './setup-code.js';
import { normalEmail, type StaffStore, type StaffUser } from './staff-store.js';
import { type RedisClient, rateLimitStore } from '../redis.js';

export interface SignInLimits {
  /** Failed sign-ins per email address from one IP address (IPv6: per /56) in a window. Default 10. */
  failuresPerEmailAndIp: number;
  /**
   * Failed sign-ins per email address from anywhere in a window, not counting browsers that signed
   * in with it before (those meet only the other limits). Default 100.
   */
  failuresPerEmail: number;
  /** Failed sign-ins and setups per IP address (IPv6: per /56) in a window. Default 50. */
  failuresPerIp: number;
  /** Default 15 minutes. */
  windowMs: number;
}

const DEFAULT_LIMITS: SignInLimits = {
  failuresPerEmailAndIp: 10,
  failuresPerEmail: 100,
  failuresPerIp: 50,
  windowMs: 15 * 60_000,
};

export interface SignInDeps {
  staff: StaffStore;
  sessions: SessionStore;
  knownDevices: KnownDevices;
  /** An https public address makes the cookie Secure even behind a proxy that speaks http. */
  publicUrl: string;
  /** The first-run code `npm start` printed; absent, no setup is possible. It works once. */
  setupCode?: string;
  /** The development mail viewer's path, told to the signed-in web app so it can link to it; absent, there is none. */
  mailViewer?: string;
  /** Holds the throttles' counters. */
  redis: RedisClient;
  /** Prefix of the throttles' keys in Redis. */
  rateLimitPrefix: string;
  logger: Logger;
  /** Where sign-ins, failed ones and the first admin's creation are recorded. */
  audit: AuditRecorder;
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
      store: rateLimitStore(deps.redis, `${deps.rateLimitPrefix}:${name}:`),
      logger: deps.logger,
      handler: (_req, res) => {
        res.status(429).json(TOO_MANY_FAILURES);
      },
      ...extra,
    });
  const perIp = throttle('signin-ip', limits.failuresPerIp);
  const perEmailAndIp = throttle('signin-email-ip', limits.failuresPerEmailAndIp, {
    skip: (req) => signInEmail(req) === undefined,
    keyGenerator: (req) => `${emailKey(signInEmail(req)!)}:${ipKeyGenerator(req.ip ?? '')}`,
  });
  const perEmail = throttle('signin-email', limits.failuresPerEmail, {
    skip: (req) => {
      const email = signInEmail(req);
      return email === undefined || deps.knownDevices.isKnown(req, email);
    },
    keyGenerator: (req) => emailKey(signInEmail(req)!),
    handler: (req, res, _next, options) => {
      // Once a window, without the address: the owner hears of it at their next sign-in.
      if ((req as AugmentedRequest).rateLimit?.used === limits.failuresPerEmail + 1) {
        deps.logger.warn('Sign-in attempts for one address from many networks reached its ceiling');
      }
      res.status(options.statusCode).json(TOO_MANY_FAILURES);
    },
  });

  /**
   * Starts a session, sets its cookie and answers who is signed in, with the wrong passwords given
   * since the last sign-in; a session the cookie held before ends, and the browser is known from now on.
   */
  async function signIn(req: Request, res: Response, user: StaffUser, status: number, failedSignIns = 0) {
    const previous = sessionToken(req);
    if (previous) await deps.sessions.delete(previous);
    const token = await deps.sessions.create(user.id);
    await deps.staff.recordSignIn(user.id, failedSignIns);
    await deps.audit.record({ actor: staffActor(user), action: 'signed_in', target: { type: 'staff', id: user.id } });
    if (failedSignIns > 0) deps.logger.warn({ staffId: user.id, failedSignIns }, 'Signed in after wrong passwords');
    setSessionCookie(req, res, token, deps.publicUrl);
    deps.knownDevices.remember(req, res, user.email);
    res.status(status).json({ ...sessionAnswer(deps, user, token), ...(failedSignIns > 0 ? { failedSignIns } : {}) });
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

  router.post('/session', perIp, perEmailAndIp, perEmail, async (req, res) => {
    const input = parseJsonBody(req, SignInInput);
    const found = await deps.staff.findForSignIn(input.email);
    // An unknown address still costs one scrypt and one write, so the time of the answer does not tell.
    const valid = await verifyPassword(input.password, found?.passwordHash ?? (await dummyHash));
    if (!found || !valid) {
      await deps.staff.recordFailedSignIn(input.email);
      // The address only when it is a staff account's (never a stranger's, never the password).
      await deps.audit.record({
        actor: ANONYMOUS,
        action: 'sign_in_failed',
        ...(found ? { target: { type: 'staff', id: found.user.id }, details: { email: found.user.email } } : {}),
      });
      throw new AppError('unauthorized', 'Wrong email or password');
    }
    await signIn(req, res, found.user, 200, found.failedSignIns);
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
    await deps.audit.record({
      actor: staffActor(user),
      action: 'staff_created',
      target: { type: 'staff', id: user.id },
      details: { email: user.email, role: user.role, firstAdmin: true },
    });
    await signIn(req, res, user, 201);
  });

  return router;
}

const TOO_MANY_FAILURES = errorBody(
  new AppError('rate_limited', 'Too many failed attempts: wait a few minutes and try again'),
);

/** The address a sign-in request names, as accounts keep it; undefined when it names none. */
function signInEmail(req: Request): string | undefined {
  const email: unknown = req.body?.email;
  return typeof email === 'string' ? normalEmail(email) : undefined;
}

function staffActor(user: StaffUser): AuditActor {
  return { kind: 'staff', id: user.id, name: user.email };
}

/** Hashed, so the addresses people sign in with are not lying around in Redis keys. */
function emailKey(email: string): string {
  return createHash('sha256').update(email).digest('hex');
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

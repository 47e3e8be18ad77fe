// /admin/queues: the BullMQ dashboard (bull-board), for admins signed in from the browser only.
// Without a session a page request goes to the sign-in page and comes back; an editor gets 403.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express, { type Request, type Response, type Router } from 'express';
import helmet from 'helmet';
import { sessionToken } from './session-cookie.js';
import type { SessionStore } from './sessions.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface QueueBoardDeps {
  queues: readonly Queue[];
  sessions: SessionStore;
  /** Changes may come from this origin, or from the one the request was made to. */
  publicUrl: string;
}

export function queueBoard(deps: QueueBoardDeps): Router {
  const adapter = new ExpressAdapter().setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: deps.queues.map((queue) => new BullMQAdapter(queue)), serverAdapter: adapter });
  const board = adapter.getRouter() as express.Express;
  board.disable('x-powered-by');

  const router = express.Router();
  router.use(async (req, res, next) => {
    const token = sessionToken(req);
    const user = token ? await deps.sessions.verify(token) : null;
    if (!user) {
      if ((req.method === 'GET' || req.method === 'HEAD') && !req.path.startsWith('/api/')) {
        res.redirect(302, `/admin/signin?next=${encodeURIComponent(req.originalUrl).replaceAll('%2F', '/')}`);
      } else {
        res.status(401).json({ error: { code: 'unauthorized', message: 'Sign in as an admin' } });
      }
      return;
    }
    if (user.role !== 'admin') {
      sendPage(
        res,
        403,
        'Only admins may see the queues',
        'Ask an admin if you need to see what the sending queues are doing.',
      );
      return;
    }
    // The board's own API changes jobs from the page with fetch: a browser names the page's origin
    // on such requests, so one from another site is refused (SameSite=Lax already keeps the cookie off most).
    if (!SAFE_METHODS.has(req.method) && !sameOrigin(req, deps.publicUrl)) {
      res
        .status(403)
        .json({ error: { code: 'forbidden', message: 'Changes to the queues must come from the dashboard itself' } });
      return;
    }
    next();
  });
  // bull-board styles its page inline; it needs nothing from other hosts (its Google Fonts link
  // stays blocked, the system fonts do).
  router.use(
    helmet.contentSecurityPolicy({
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  router.use(board);
  return router;
}

function sameOrigin(req: Request, publicUrl: string): boolean {
  const origin = req.get('origin');
  if (origin === undefined) return !['cross-site', 'same-site'].includes(req.get('sec-fetch-site') ?? '');
  return origin === new URL(publicUrl).origin || origin === `${req.protocol}://${req.host}`;
}

function sendPage(res: Response, status: number, title: string, text: string): void {
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html>\n<html lang="en"><meta charset="utf-8"><title>${title}</title>\n` +
        `<h1>${title}</h1>\n<p>${text}</p>\n<p><a href="/admin">Back to Pregón</a></p>\n</html>\n`,
    );
}

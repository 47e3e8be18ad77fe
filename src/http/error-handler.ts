// Maps whatever a handler threw to the error body; nothing internal reaches a client.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import { errorBody, httpStatus } from './app-error.js';
import { loggedPath } from './logged-path.js';

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => next(new AppError('not_found', `No route for ${req.method} ${req.path}`));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = toAppError(err);
    if (error.code === 'internal')
      logger.error({ err, method: req.method, path: loggedPath(req.originalUrl) }, 'unexpected error');
    res.status(httpStatus(error.code)).json(errorBody(error));
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // body-parser's errors carry a `type` and a client status: malformed JSON, too large, bad charset.
  const e = err as { type?: string; status?: number; limit?: number };
  if (e?.type === 'entity.parse.failed') return AppError.invalid([{ path: 'body', message: 'is not valid JSON' }]);
  if (e?.type === 'entity.too.large')
    return new AppError('payload_too_large', `Request body is larger than ${e.limit} bytes`);
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return AppError.invalid([{ path: 'headers.content-type', message: 'names an encoding or charset we cannot read' }]);
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return AppError.invalid([{ path: 'body', message: 'could not be read' }]);
  }
  return new AppError('internal', 'Something went wrong on our side; it has been logged.');
}

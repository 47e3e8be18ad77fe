// Cache-Control: no-store, for answers about a person or reached by a signed link: neither a
// browser's cache nor a proxy's keeps them for whoever uses it next.
import type { RequestHandler } from 'express';

export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

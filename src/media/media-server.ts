// GET /media/<name>: the library's files, public, for mail clients and the archive. A name is a
// content hash, so a file never changes: cached for a year by anyone. Only names the library gives
// are looked up, and each answer is an image that nothing may read as a page.
import { pipeline } from 'node:stream/promises';
import express, { type Router } from 'express';
import { AppError } from '../errors.js';
import type { MediaFiles } from './media-files.js';
import { MEDIA_NAME } from './media-names.js';

export const MEDIA_PATH = '/media';

export function mediaServer(files: MediaFiles): Router {
  const router = express.Router();
  router.get(`${MEDIA_PATH}/:name`, async (req, res) => {
    const { name } = req.params;
    const file = MEDIA_NAME.test(name) ? await files.get(name) : undefined;
    if (!file) throw new AppError('not_found', 'No such image');
    res.set({
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
      // Mail clients, their image proxies and the archive load it from other origins.
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    if (req.method === 'HEAD') {
      file.body.destroy();
      res.end();
      return;
    }
    // A reader who goes away mid-file ends the stream; nothing to answer then.
    await pipeline(file.body, res).catch(() => undefined);
  });
  return router;
}

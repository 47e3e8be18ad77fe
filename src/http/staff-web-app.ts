// Serves the staff web app (built by `npm run build` into dist/ui) under /admin. Every path of
// the app answers with its index.html; the browser code picks the screen.
import express, { type Router } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const STAFF_APP_DIR = fileURLToPath(new URL('../../dist/ui', import.meta.url));

/** `mediaUrl`: where the media library's images are, shown by the app even when that is http elsewhere. */
export function staffWebApp(dir: string = STAFF_APP_DIR, mediaUrl?: string): Router {
  const router = express.Router();
  const index = `${dir}/index.html`;
  router.get('/', (_req, res) => res.redirect('/admin/'));
  // The app shows images staff link to (the logo, block images, the media library's, which are
  // http in development when MEDIA_PUBLIC_URL is another origin) and the bulletin preview in a
  // same-origin frame; nothing else leaves 'self'.
  const mediaOrigin = mediaUrl && URL.canParse(mediaUrl) ? [new URL(mediaUrl).origin] : [];
  router.use(
    '/admin',
    helmet.contentSecurityPolicy({
      directives: {
        'img-src': ["'self'", 'data:', 'https:', ...mediaOrigin],
        'frame-src': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    }),
  );
  // Asset names carry their content hash, so they never change.
  router.use('/admin/assets', express.static(`${dir}/assets`, { immutable: true, maxAge: '365d', fallthrough: false }));
  router.get(['/admin', '/admin/{*path}'], (_req, res) => {
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send('The staff web app is not built: run `npm run build` (npm start does it).');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return router;
}

// GET /c/:token: a tracked link. Counts the click for the campaign, block, link and the language
// of the mail (the token names only the link and the language, never the reader), once per client
// and CLICK_WINDOW_MS, and redirects without telling the destination where the reader came from.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { LinkSigner } from '../signed-links.js';
import type { CampaignLinks } from './campaign-links.js';
import { readClickToken } from './click-token.js';
import type { RecentClicks } from './recent-clicks.js';

export function clickHandler(
  links: CampaignLinks,
  signer: LinkSigner,
  recent: RecentClicks,
  logger: Logger,
): RequestHandler {
  return async (req, res) => {
    const token = readClickToken(signer, String(req.params.token));
    let url: string | undefined;
    if (token)
      url = (await counts(token.linkId, String(req.ip)))
        ? await links.click(token.linkId, token.language)
        : await links.url(token.linkId);
    res.set('Referrer-Policy', 'no-referrer').set('Cache-Control', 'no-store');
    if (!url) {
      res.status(404).type('text/plain').send('This link is not known.');
      return;
    }
    res.redirect(302, url);
  };

  /** A click counts when it is the client's first on the link lately; with Redis away, every click counts. */
  async function counts(id: number, ip: string): Promise<boolean> {
    try {
      return await recent.first(id, ip);
    } catch (err) {
      logger.warn({ err }, 'could not tell a repeated click: counted');
      return true;
    }
  }
}

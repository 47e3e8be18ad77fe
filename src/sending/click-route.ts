// GET /c/:token: a tracked link. Counts the click for the campaign, block and link (the token
// names only the link, never the reader) and redirects without telling the destination where
// the reader came from.
import type { RequestHandler } from 'express';
import type { LinkSigner } from '../signed-links.js';
import type { CampaignLinks } from './campaign-links.js';

export function clickHandler(links: CampaignLinks, signer: LinkSigner): RequestHandler {
  return async (req, res) => {
    const linkId = signer.verify('click', String(req.params.token));
    const url = linkId && /^\d+$/.test(linkId) ? await links.click(Number(linkId)) : undefined;
    res.set('Referrer-Policy', 'no-referrer').set('Cache-Control', 'no-store');
    if (!url) {
      res.status(404).type('text/plain').send('This link is not known.');
      return;
    }
    res.redirect(302, url);
  };
}

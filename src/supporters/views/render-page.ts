// Public pages and fragments as HTML from React elements: React escapes every value it is given,
// so no view escapes anything by hand.
import type { Response } from 'express';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

export function sendPage(res: Response, status: number, page: ReactElement): void {
  res.status(status).type('html').send(renderPage(page));
}

/** A whole page, with the doctype React does not write. */
export function renderPage(page: ReactElement): string {
  return `<!doctype html>\n${renderFragment(page)}`;
}

/** Markup to place inside HTML made elsewhere (the bar above an archived bulletin). */
export function renderFragment(element: ReactElement): string {
  return renderToStaticMarkup(element);
}

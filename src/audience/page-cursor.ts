// Where a page of the subscribers list starts: an opaque token the list gives out (`next`,
// `previous`) and takes back (`cursor`), so any page is found through the id index, not counted to.
import { z } from 'zod';

/** The page after the subscriber with id `after`, or the page before the one with id `before`. */
export type PageCursor = { after: number } | { before: number };

const FORM = /^([ab])\.(\d{1,15})$/;

export function encodeCursor(cursor: PageCursor): string {
  const text = 'after' in cursor ? `a.${cursor.after}` : `b.${cursor.before}`;
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The cursor a token stands for, or undefined for anything the list did not give out. */
export function decodeCursor(token: string): PageCursor | undefined {
  let text: string;
  try {
    text = atob(token.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    return undefined;
  }
  const match = FORM.exec(text);
  if (!match) return undefined;
  const id = Number(match[2]);
  return match[1] === 'a' ? { after: id } : { before: id };
}

export const PageCursorToken = z
  .string()
  .transform((token, ctx): PageCursor => {
    const cursor = decodeCursor(token);
    if (cursor) return cursor;
    ctx.addIssue({ code: 'custom', message: 'is not a cursor the list gave out (`next` or `previous` of a page)' });
    return z.NEVER;
  })
  .meta({ description: 'Where the page starts: the `next` or `previous` of the page before; none for the first' });

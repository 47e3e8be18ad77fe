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
  return asWritten(renderToStaticMarkup(element));
}

/** A start tag as React writes it: every attribute ` name="value"`, the value escaped. */
const START_TAG = /<([a-z][a-z0-9]*)((?: [^\s"=/>]+="[^"]*")*)\/?>/g;
const ATTRIBUTE = / ([^\s"=/>]+)="([^"]*)"/g;
/** The boolean attributes the views use; React writes them as `checked=""`. */
const BOOLEAN_ATTRIBUTES = new Set(['checked', 'selected', 'required']);

/**
 * React's markup as the pages were written before it, and as their tests read them. React
 * writes `<br/>`, `checked=""` and `hrefLang`; it moves a form's action to the front, and an
 * input's name, checked and value to the back, for the form actions and controlled inputs a
 * static page has none of. Here void tags lose the slash, names are lower case, booleans are bare
 * and last, an input's name follows its id, and a form's action comes last. Only start tags
 * change: React escapes `<` in text and in attribute values, and the one raw text, the page's
 * style sheet, has no `<`.
 */
function asWritten(markup: string): string {
  return markup.replace(START_TAG, (_tag, tag: string, written: string) => {
    let valued: Attribute[] = [];
    const booleans: string[] = [];
    for (const [, name = '', value = ''] of written.matchAll(ATTRIBUTE)) {
      const lower = name.toLowerCase();
      if (BOOLEAN_ATTRIBUTES.has(lower) && value === '') booleans.push(lower);
      else valued.push([lower, value]);
    }
    if (tag === 'input') valued = moved(valued, 'name', (rest) => indexAfter(rest, 'id'));
    if (tag === 'form') valued = moved(valued, 'action', (rest) => rest.length);
    const attributes = [...valued.map(([name, value]) => ` ${name}="${value}"`), ...booleans.map((b) => ` ${b}`)];
    return `<${tag}${attributes.join('')}>`;
  });
}

type Attribute = [name: string, value: string];

/** The attributes with `name`'s put at the index `to` finds among the others; as they were if -1. */
function moved(attributes: Attribute[], name: string, to: (rest: Attribute[]) => number): Attribute[] {
  const attribute = attributes.find(([n]) => n === name);
  if (!attribute) return attributes;
  const rest = attributes.filter((other) => other !== attribute);
  const at = to(rest);
  return at < 0 ? attributes : [...rest.slice(0, at), attribute, ...rest.slice(at)];
}

function indexAfter(attributes: Attribute[], name: string): number {
  const index = attributes.findIndex(([n]) => n === name);
  return index < 0 ? -1 : index + 1;
}

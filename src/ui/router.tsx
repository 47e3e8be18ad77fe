// A small router over the History API: the app has a dozen screens and needs no more than paths,
// parameters and links.
import { useEffect, useRef, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

export const BASE = '/admin';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The address the app shows. Kept here rather than read from window.location: while a screen
 * decides whether to let a back or forward go, the address bar already has the new address.
 */
let shown = window.location.pathname + window.location.search;
const snapshot = () => shown;

function show(): void {
  shown = window.location.pathname + window.location.search;
  for (const listener of listeners) listener();
}

/**
 * Where the current entry sits in the session history, kept in its state so a refused back or
 * forward can be undone.
 */
let position = entryPosition(window.history.state) ?? 0;
if (entryPosition(window.history.state) === undefined) window.history.replaceState({ position }, '');

function entryPosition(state: unknown): number | undefined {
  const value = (state as { position?: unknown } | null)?.position;
  return typeof value === 'number' ? value : undefined;
}

function go(to: string, replace: boolean): void {
  if (!replace) position += 1;
  window.history[replace ? 'replaceState' : 'pushState']({ position }, '', to);
  window.scrollTo(0, 0);
  show();
}

/**
 * Asked before the app leaves the screen that set it: resolves to the question to put to the
 * person, or to undefined to leave without asking. It may take its time (the composer saves
 * what is left first).
 */
export type LeaveGuard = () => Promise<string | undefined>;

let guard: LeaveGuard | undefined;
/** Ways out asked for (links, back, forward): only the latest goes ahead, or asks, once the guard answers. */
let attempts = 0;

/** Whether the screen lets the app leave for the latest way out asked for: its guard's answer, then the person's. */
async function mayLeave(): Promise<boolean> {
  const attempt = ++attempts;
  const question = await guard?.();
  if (attempt !== attempts) return false;
  return question === undefined || window.confirm(question);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const replace = options.replace ?? false;
  if (!guard) {
    attempts += 1; // a way out still waiting for a guard's answer is given up
    go(to, replace);
    return;
  }
  void mayLeave().then((leave) => leave && go(to, replace));
}

/** A back or forward the guard refused, being undone: its popstate is ours. */
let restoring = false;
/** A back or forward the guard let go, being done again: it passes. */
let passing = false;

window.addEventListener('popstate', (event) => {
  const to = entryPosition(event.state);
  if (restoring) {
    restoring = false;
    position = to ?? position;
    return;
  }
  if (!guard || passing || to === undefined || to === position) {
    attempts += 1;
    passing = false;
    position = to ?? position;
    show();
    return;
  }
  // The browser has already moved: go back to where the screen is while it decides.
  const steps = to - position;
  restoring = true;
  window.history.go(-steps);
  void mayLeave().then((leave) => {
    if (!leave) return;
    passing = true;
    window.history.go(steps);
  });
});

/**
 * While `check` is given, leaving the screen asks it first: navigate(), links and the browser's
 * back and forward wait for its answer, and reloading or closing the tab asks in the browser's
 * own words (a page being unloaded cannot wait for a save).
 */
export function useLeaveGuard(check: LeaveGuard | undefined): void {
  const latest = useRef(check);
  useEffect(() => {
    latest.current = check;
  });
  const active = check !== undefined;
  useEffect(() => {
    if (!active) return;
    const mine: LeaveGuard = () => latest.current?.() ?? Promise.resolve(undefined);
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    guard = mine;
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      if (guard === mine) guard = undefined;
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [active]);
}

/** The current path and query string. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const current = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(current, window.location.origin);
  return { path: url.pathname.replace(/\/+$/, '') || '/', query: url.searchParams };
}

/** Parameters of `pattern` ("/admin/bulletins/:id") in `path`, or null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const source = pattern.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const match = new RegExp(`^${source}/?$`).exec(path);
  if (!match) return null;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
}

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}

/** Sends the browser elsewhere once, after render. */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

/** Sets the document title for a screen. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Pregón` : 'Pregón';
  }, [title]);
}

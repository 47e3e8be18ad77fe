// Going elsewhere to do one thing and coming back: the link there carries `return` (the screen it
// was opened from), and the screen it opens offers the way back.
import type { Settings } from '../settings/settings';
import { BASE, Link, matchPath, useLocation } from './router';

/** `to` with `from` as where to come back to, and any other parameters for the screen opened. */
export function withReturn(to: string, from: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams({ ...params, return: from });
  return `${to}?${query}`;
}

/** Settings with one field focused, and a way back to `from` once saved. */
export const settingsField = (field: keyof Settings, from: string) => withReturn(`${BASE}/settings`, from, { field });

/** Where this screen was opened from, when it was opened to come back; only a screen of this app. */
export function useReturn(): { to: string; label: string } | undefined {
  const { query } = useLocation();
  const to = query.get('return');
  if (!to || !(to === BASE || to.startsWith(`${BASE}/`) || to.startsWith(`${BASE}?`))) return undefined;
  const path = to.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const label =
    path === BASE
      ? 'Back to the setup checklist'
      : matchPath(`${BASE}/bulletins/:id`, path)
        ? 'Back to the bulletin'
        : 'Go back';
  return { to, label };
}

/** The way back to the screen this one was opened from; nothing when it was not opened to come back. */
export function ReturnLink({ arrow = false }: { arrow?: boolean }) {
  const back = useReturn();
  if (!back) return null;
  return (
    <Link to={back.to}>
      {arrow && '← '}
      {back.label}
    </Link>
  );
}

// Who else has this bulletin open: the composer says it is here every HEARTBEAT_MS while the page
// is visible (src/bulletins/presence.ts forgets it 30 s after the last), and that it left when the
// page closes. The answer lists the others; a screen reader hears of each arrival once.
import { Fragment, useEffect, useRef, useState } from 'react';
import type { PresenceAnswer, PresentViewer } from '../../bulletins/schemas';
import { api } from '../api';

const HEARTBEAT_MS = 10_000;
/** Someone who changed the bulletin this recently is shown as editing. */
const EDITING_MS = 30_000;

/** The others with the bulletin open; `draft` is the document, whose every change counts as editing. */
export function usePresence(bulletinId: number, draft: unknown): PresentViewer[] {
  const [others, setOthers] = useState<PresentViewer[]>([]);
  const editedAt = useRef(Number.NEGATIVE_INFINITY);
  const lastDraft = useRef(draft);
  /** The heartbeat, sent at once when someone starts editing: the others need not wait for the next. */
  const beatNow = useRef<() => void>(undefined);
  useEffect(() => {
    if (draft === lastDraft.current) return;
    lastDraft.current = draft;
    const wasEditing = Date.now() - editedAt.current < EDITING_MS;
    editedAt.current = Date.now();
    if (!wasEditing) beatNow.current?.();
  }, [draft]);

  useEffect(() => {
    const path = `/api/bulletins/${bulletinId}/presence`;
    let timer: ReturnType<typeof setInterval> | undefined;
    let inFlight: AbortController | undefined;
    const beat = () => {
      inFlight?.abort();
      const controller = new AbortController();
      inFlight = controller;
      const editing = Date.now() - editedAt.current < EDITING_MS;
      api<PresenceAnswer>('PUT', path, { editing }, { signal: controller.signal })
        .then((answer) => setOthers(answer.data))
        // Presence is a courtesy: when it cannot be had, the composer just shows no one.
        .catch(() => {
          if (!controller.signal.aborted) setOthers([]);
        });
    };
    const stop = () => {
      clearInterval(timer);
      inFlight?.abort();
      beatNow.current = undefined;
    };
    const start = () => {
      stop();
      if (window.document.visibilityState !== 'visible') return;
      beat();
      timer = setInterval(beat, HEARTBEAT_MS);
      beatNow.current = beat;
    };
    const leave = () => {
      stop();
      api('DELETE', path, undefined, { keepalive: true }).catch(() => {});
    };
    // Hidden, the page stops saying it is here (and so is gone for the others 30 s later).
    const onVisibility = () => (window.document.visibilityState === 'visible' ? start() : stop());
    start();
    window.document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', leave);
    window.addEventListener('pageshow', start); // back from the browser's back/forward cache
    return () => {
      window.document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', leave);
      window.removeEventListener('pageshow', start);
      leave();
    };
  }, [bulletinId]);
  return others;
}

const who = (viewer: PresentViewer) => (viewer.kind === 'token' ? `${viewer.name} (API token)` : viewer.name);
const keyOf = (viewer: PresentViewer) => `${viewer.kind}:${viewer.name}`;
const timeFormat = new Intl.DateTimeFormat('en', { timeStyle: 'short' });

/** "Also here: ana@example.org (editing), luis@example.org", and a polite word when someone arrives. */
export function Presence({ bulletinId, draft }: { bulletinId: number; draft: unknown }) {
  const others = usePresence(bulletinId, draft);
  const [arrivals, setArrivals] = useState('');
  const known = useRef(new Set<string>());
  useEffect(() => {
    const here = new Set(others.map(keyOf));
    const arrived = others.filter((viewer) => !known.current.has(keyOf(viewer))).map(who);
    known.current = here;
    if (arrived.length > 0) setArrivals(`Also here now: ${arrived.join(', ')}.`);
  }, [others]);

  return (
    <div className="presence">
      {others.length > 0 && (
        <p>
          <span className="presence-label">Also here:</span>{' '}
          {others.map((viewer, i) => (
            <Fragment key={keyOf(viewer)}>
              {i > 0 && ', '}
              <span title={`Here since ${timeFormat.format(new Date(viewer.since))}`}>{who(viewer)}</span>
              {viewer.editing && <span className="presence-editing"> (editing)</span>}
            </Fragment>
          ))}
        </p>
      )}
      <p role="status" className="visually-hidden">
        {arrivals}
      </p>
    </div>
  );
}

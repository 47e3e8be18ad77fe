// Talking to the server from a screen: data loaded (with its error and a way to load again),
// and actions run (with whether one is under way and its error).
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
  /** Replace the data without asking the server (after a change whose answer is the new data). */
  setData(data: T): void;
}

/** GETs `path` (again whenever it changes); null waits. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(path !== null);
  const [generation, setGeneration] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new generation is what a reload asks for
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setLoading(true);
    api<T>('GET', path, undefined, { signal: controller.signal })
      .then((answer) => {
        setData(answer);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [path, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload, setData };
}

export interface Action<A extends unknown[]> {
  /** Runs the action; its error is kept in `error`, never thrown. */
  run(...args: A): Promise<void>;
  busy: boolean;
  error: unknown;
  setError(error: unknown): void;
  /** The server's message about one field of the request, if the last error named it. */
  issue(path: string): string | undefined;
}

/** An action of the screen (an API call and what follows it): busy while it runs, its error kept. */
export function useAction<A extends unknown[]>(fn: (...args: A) => Promise<void>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (...args: A) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn(...args);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const issue = (path: string) => (error instanceof ApiError ? error.issueFor(path) : undefined);
  return { run, busy, error, setError, issue };
}

/** A form's onSubmit that runs `action` instead of the browser's own submit. */
export function submitTo(action: { run(): Promise<void> }) {
  return (event: FormEvent) => {
    event.preventDefault();
    void action.run();
  };
}

/** Calls `fn` `delay` ms after the last change of `deps`; the latest `fn` is the one called. */
export function useDebounced(fn: () => void, delay: number, deps: readonly unknown[]): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(
    () => {
      const timer = setTimeout(() => latest.current(), delay);
      return () => clearTimeout(timer);
    },
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps are the point; latest fn is in a ref
    deps,
  );
}

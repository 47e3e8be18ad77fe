// Loading data for a screen: the answer, the error, and a way to load again.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api';

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

/** Calls `fn` `delay` ms after the last change of `deps`; the latest `fn` is the one called. */
export function useDebounced(fn: () => void, delay: number, deps: readonly unknown[]): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    const timer = setTimeout(() => latest.current(), delay);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
}

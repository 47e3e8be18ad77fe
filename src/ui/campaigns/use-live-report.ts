// A campaign's report, kept current: server-sent events while it runs (GET /api/campaigns/:id/events
// sends the report every second), polling every 2 s when the stream fails, nothing once it is over.
import { useCallback, useEffect, useState } from 'react';
import { FINAL_CAMPAIGN_STATES } from '../../sending/campaign-states';
import type { CampaignReport } from '../../sending/schemas';
import { api, ApiError } from '../api';

const POLL_MS = 2000;

export interface LiveReport {
  report: CampaignReport | undefined;
  error: unknown;
  /** How the report is kept current now. */
  mode: 'stream' | 'polling' | 'done';
  /** Load again and follow again: after an action that may wake a finished campaign (a retry). */
  refresh(): void;
}

export function useLiveReport(id: number): LiveReport {
  const [report, setReport] = useState<CampaignReport>();
  const [error, setError] = useState<unknown>();
  const [mode, setMode] = useState<LiveReport['mode']>('stream');
  const [generation, setGeneration] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new generation is what a refresh asks for
  useEffect(() => {
    let stopped = false;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** Shows the report; says whether the campaign is over. */
    const take = (next: CampaignReport): boolean => {
      if (stopped) return true;
      setReport(next);
      setError(undefined);
      const over = FINAL_CAMPAIGN_STATES.includes(next.state);
      if (over) setMode('done');
      return over;
    };
    const poll = async () => {
      try {
        if (take(await api<CampaignReport>('GET', `/api/campaigns/${id}`))) return;
      } catch (e) {
        if (stopped) return;
        setError(e);
        // Signed out, not allowed, or gone: asking again will not change the answer.
        if (e instanceof ApiError && [401, 403, 404].includes(e.status)) return;
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    const follow = () => {
      setMode('stream');
      source = new EventSource(`/api/campaigns/${id}/events`);
      source.addEventListener('progress', (event) => {
        if (take(JSON.parse((event as MessageEvent<string>).data) as CampaignReport)) source?.close();
      });
      // The stream broke (a proxy, a restart, a lost session): poll instead of letting EventSource retry.
      source.onerror = () => {
        source?.close();
        if (stopped) return;
        setMode('polling');
        timer = setTimeout(() => void poll(), POLL_MS);
      };
    };
    api<CampaignReport>('GET', `/api/campaigns/${id}`)
      .then((first) => {
        if (!take(first)) follow();
      })
      .catch((e: unknown) => {
        if (!stopped) setError(e);
      });
    return () => {
      stopped = true;
      source?.close();
      clearTimeout(timer);
    };
  }, [id, generation]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  return { report, error, mode, refresh };
}
